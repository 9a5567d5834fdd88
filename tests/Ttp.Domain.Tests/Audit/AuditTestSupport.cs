using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

/// <summary>Shared arrangements of the audit tests: a fixed key, sample records, raw SQL as an operator would run it.</summary>
internal static class AuditTestSupport
{
    /// <summary>A fixed test key: bytes 0x01..0x20.</summary>
    public static AuditKey NewKey() => new(Enumerable.Range(1, AuditKey.Length).Select(i => (byte)i).ToArray());

    /// <summary>Another key, for "wrong key" cases.</summary>
    public static AuditKey OtherKey() => new(Enumerable.Repeat((byte)0x5A, AuditKey.Length).ToArray());

    public static AuditRecord StaffRecord(int i) =>
        AuditRecord.StaffAction("tsm.approved", Actor.Staff($"op{i % 3}@ttp.example"), $"tsm:acme-{i}", new { Index = i, Kcv = "A1B2C3" });

    public static AuditRecord KeyRequestRecord(int i) =>
        AuditRecord.KeyRequest(Actor.Tsm("acme"), "issuer-key:A0000001/1", i % 5 == 0 ? "UnknownKek" : AuditRecord.OutcomeOk,
            new { Kdd = "00112233445566778899", KekIndex = 1, LatencyMs = i % 7 });

    /// <summary>Appends <paramref name="count"/> records, one transaction per record, as staff actions do.</summary>
    public static async Task AppendAsync(TestDatabase database, AuditKey key, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await using var db = database.Factory.CreateDbContext();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await AuditLedger.AppendAsync(db, [i % 2 == 0 ? KeyRequestRecord(i) : StaffRecord(i)], key);
            await transaction.CommitAsync();
        }
    }

    public static AuditWriter NewWriter(TestDatabase database, AuditKey key, AuditOptions? options = null, TimeProvider? time = null) =>
        new(database.Factory, key, Options.Create(options ?? new AuditOptions()), time ?? TimeProvider.System, NullLogger<AuditWriter>.Instance);

    /// <summary>
    /// Runs <paramref name="sql"/> on a connection of its own, outside the application's factory, as an operator with
    /// sqlite3 or psql would.
    /// </summary>
    public static async Task<int> ExecuteRawAsync(TestDatabase database, string sql)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await using var sqlite = new SqliteConnection($"Data Source={database.SqlitePath};Pooling=False");
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteNonQueryAsync();
        }

        await using var postgres = new NpgsqlConnection(database.ConnectionString);
        await postgres.OpenAsync();
        await using var pgCommand = new NpgsqlCommand(sql, postgres);
        return await pgCommand.ExecuteNonQueryAsync();
    }

    /// <summary>One SQL UPDATE per column of a record: the smallest change to each field, valid on either provider.</summary>
    public static string ChangeFieldSql(DatabaseProvider provider, string field, long sequence)
    {
        var set = (field, provider) switch
        {
            ("occurred_at", DatabaseProvider.Sqlite) => "occurred_at = occurred_at + 1",
            ("occurred_at", _) => "occurred_at = occurred_at + interval '1 microsecond'",
            ("stream", _) => "stream = 3 - stream",
            ("action", _) => "action = action || 'x'",
            ("actor", _) => "actor = actor || 'x'",
            ("subject", _) => "subject = subject || 'x'",
            ("outcome", _) => "outcome = outcome || 'x'",
            ("details", _) => "details = '{\"changed\":true}'",
            ("hash", DatabaseProvider.Sqlite) => "hash = zeroblob(32)",
            ("hash", _) => "hash = decode(repeat('00', 32), 'hex')",
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown audit column."),
        };
        return $"UPDATE audit_events SET {set} WHERE sequence = {sequence}";
    }

    /// <summary>Every column of a record but the sequence.</summary>
    public static IReadOnlyList<string> Fields { get; } =
        ["occurred_at", "stream", "action", "actor", "subject", "outcome", "details", "hash"];
}
