using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Tests.KeyRequests;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.Audit;

/// <summary>Arrangements of the anchored-trail tests: an installation with staff actions and key requests, SQL as an attacker runs it.</summary>
internal static class AnchoredTrail
{
    /// <summary>An installation with a TSM, a KEK, an active key set and <paramref name="keyRequests"/> answered key requests, all checkpointed.</summary>
    public static async Task<KeyRequestEnvironment> WithTrafficAsync(DatabaseProvider provider, int keyRequests = 3, IDictionary<string, string?>? settings = null)
    {
        var env = await KeyRequestEnvironment.CreateAsync(provider, settings);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        for (var i = 0; i < keyRequests; i++)
        {
            await env.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), acme);
        }

        await Anchor(env).FlushAsync();
        return env;
    }

    public static AuditAnchor Anchor(KeyRequestEnvironment env) => env.Services.GetRequiredService<AuditAnchor>();

    public static string AnchorsPath(KeyRequestEnvironment env) => env.Services.GetRequiredService<AuditCheckpointFile>().Path;

    public static Task<AuditVerificationResult> VerifyAsync(KeyRequestEnvironment env) =>
        env.Services.GetRequiredService<AuditTrailVerifier>().VerifyAsync();

    public static async Task<long> LastSequenceAsync(KeyRequestEnvironment env)
    {
        await using var db = env.Database.Factory.CreateDbContext();
        return await db.AuditEvents.MaxAsync(e => e.Sequence);
    }

    /// <summary>32 zero bytes as an SQL literal of the provider.</summary>
    public static string ZeroHashSql(DatabaseProvider provider) =>
        provider == DatabaseProvider.Sqlite ? "zeroblob(32)" : "decode(repeat('00', 32), 'hex')";

    /// <summary>
    /// What a database writer can do to the public chain: append a record whose SHA-256 hash is right (anyone can compute
    /// it) and move the head to it; the MAC it cannot compute.
    /// </summary>
    /// <returns>The forged record's sequence.</returns>
    public static async Task<long> ForgeAppendAsync(KeyRequestEnvironment env, byte[]? mac = null)
    {
        AuditEvent last;
        await using (var db = env.Database.Factory.CreateDbContext())
        {
            last = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence).FirstAsync();
        }

        var forged = new AuditEvent
        {
            Sequence = last.Sequence + 1,
            OccurredAt = last.OccurredAt.AddSeconds(1),
            Stream = AuditStream.StaffAction,
            Action = "tsm.approved",
            Actor = "user:op-b@ttp.example",
            Subject = "tsm:mallory",
            Outcome = "ok",
            Details = "{}",
        };
        forged.Hash = SHA256.HashData([.. last.Hash, .. AuditHash.GetCanonicalBytes(forged)]);
        await using var connection = Open(env);
        await connection.OpenAsync();
        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO audit_events (sequence, occurred_at, stream, action, actor, subject, outcome, details, hash, mac) " +
                "VALUES (@s, @t, 1, @a, @r, @j, 'ok', '{}', @h, @c)";
            Add(insert, "@s", forged.Sequence);
            Add(insert, "@t", env.Database.Provider == DatabaseProvider.Sqlite ? (forged.OccurredAt - DateTimeOffset.UnixEpoch).Ticks / 10 : forged.OccurredAt);
            Add(insert, "@a", forged.Action);
            Add(insert, "@r", forged.Actor);
            Add(insert, "@j", forged.Subject);
            Add(insert, "@h", forged.Hash);
            Add(insert, "@c", (object?)mac ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync();
        }

        await using var head = connection.CreateCommand();
        head.CommandText = "UPDATE audit_chain_head SET last_sequence = @s, last_hash = @h WHERE id = 1";
        Add(head, "@s", forged.Sequence);
        Add(head, "@h", forged.Hash);
        await head.ExecuteNonQueryAsync();
        return forged.Sequence;
    }

    private static DbConnection Open(KeyRequestEnvironment env) => env.Database.Provider == DatabaseProvider.Sqlite
        ? new SqliteConnection($"Data Source={env.Database.SqlitePath};Pooling=False")
        : new NpgsqlConnection(env.Database.ConnectionString);

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
