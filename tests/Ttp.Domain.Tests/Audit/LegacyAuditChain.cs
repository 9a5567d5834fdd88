using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

/// <summary>
/// Writes audit records as the previous release did: HMAC-SHA256(audit key, previous hash || canonical record), no MAC
/// column, the head moved to the last one; the HMAC is computed here with the BCL, not by the product.
/// </summary>
internal static class LegacyAuditChain
{
    /// <summary>
    /// Appends <paramref name="count"/> records after the current head. With <paramref name="schemaHasTransition"/>
    /// (the current schema) the head's hmac_through follows, as the migration would have set it.
    /// </summary>
    /// <returns>The last sequence written.</returns>
    public static async Task<long> AppendAsync(TestDatabase database, AuditKey key, int count, bool schemaHasTransition)
    {
        await using var connection = Open(database);
        await connection.OpenAsync();
        long last;
        byte[] previous;
        await using (var head = connection.CreateCommand())
        {
            head.CommandText = "SELECT last_sequence, last_hash FROM audit_chain_head WHERE id = 1";
            await using var reader = await head.ExecuteReaderAsync();
            await reader.ReadAsync();
            last = reader.GetInt64(0);
            previous = reader.GetFieldValue<byte[]>(1);
        }

        var start = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        for (var i = 1; i <= count; i++)
        {
            var record = new AuditEvent
            {
                Sequence = last + i,
                OccurredAt = start.AddMinutes(last + i).AddTicks(10 * (last + i)),
                Stream = i % 3 == 0 ? AuditStream.KeyRequest : AuditStream.StaffAction,
                Action = i % 3 == 0 ? "key-request" : "tsm.approved",
                Actor = i % 3 == 0 ? "tsm:acme" : "user:op@ttp.example",
                Subject = $"tsm:legacy-{i}",
                Outcome = "ok",
                Details = $"{{\"index\":{i},\"note\":\"written by the previous release\"}}",
            };
            record.Hash = System.Security.Cryptography.HMACSHA256.HashData(key.Bytes, [.. previous, .. AuditHash.GetCanonicalBytes(record)]);
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO audit_events (sequence, occurred_at, stream, action, actor, subject, outcome, details, hash) " +
                "VALUES (@s, @t, @m, @a, @r, @j, @o, @d, @h)";
            Add(insert, "@s", record.Sequence);
            Add(insert, "@t", database.Provider == DatabaseProvider.Sqlite ? (record.OccurredAt - DateTimeOffset.UnixEpoch).Ticks / 10 : record.OccurredAt);
            Add(insert, "@m", (int)record.Stream);
            Add(insert, "@a", record.Action);
            Add(insert, "@r", record.Actor);
            Add(insert, "@j", record.Subject);
            Add(insert, "@o", record.Outcome);
            Add(insert, "@d", record.Details);
            Add(insert, "@h", record.Hash);
            await insert.ExecuteNonQueryAsync();
            previous = record.Hash;
        }

        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE audit_chain_head SET last_sequence = @last, last_hash = @hash" + (schemaHasTransition ? ", hmac_through = @last" : string.Empty) + " WHERE id = 1";
        Add(update, "@last", last + count);
        Add(update, "@hash", previous);
        await update.ExecuteNonQueryAsync();
        return last + count;
    }

    private static DbConnection Open(TestDatabase database) => database.Provider == DatabaseProvider.Sqlite
        ? new SqliteConnection($"Data Source={database.SqlitePath};Pooling=False")
        : new NpgsqlConnection(database.ConnectionString);

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
