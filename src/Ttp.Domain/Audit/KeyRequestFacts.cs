using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>What the rollup counts of one key-request record: its hour, TSM, outcome and latency bucket.</summary>
internal readonly record struct KeyRequestFact(long Sequence, long Hour, string Tsm, string Outcome, int Bucket);

/// <summary>
/// Reads the key-request records after a sequence, in sequence order, with plain SQL over the primary key: the hour is
/// computed by the database, the TSM and latency are read with the expressions of <see cref="AuditSearchIndexSql"/>.
/// Read only; shared by the rollup (<see cref="KeyRequestRollup"/>) and the charts' tail (<see cref="KeyRequestStatistics"/>).
/// </summary>
internal static class KeyRequestFacts
{
    /// <summary>
    /// At most <paramref name="limit"/> key-request facts with a sequence above <paramref name="after"/>, on the
    /// context's connection and transaction; also the last sequence read (key request or not), so that a batch of
    /// other records still moves the watermark.
    /// </summary>
    public static async Task<(List<KeyRequestFact> Facts, long LastSequence)> ReadAsync(
        TtpDbContext db, long after, int limit, CancellationToken cancellationToken)
    {
        var sqlite = db.Database.IsSqlite();
        var hour = sqlite
            ? "(occurred_at / 3600000000)"
            : "CAST(floor(extract(epoch FROM occurred_at) / 3600) AS bigint)";
        var tsm = sqlite ? AuditSearchIndexSql.SqliteField("tsm") : AuditSearchIndexSql.PostgresField("tsm");
        var latency = sqlite ? AuditSearchIndexSql.SqliteField("latencyMicroseconds") : AuditSearchIndexSql.PostgresField("latencyMicroseconds");
        // Every record after the watermark is visited (a CASE keeps the JSON work to key requests) so that the last
        // sequence read is known even when a batch holds staff actions only. Key requests only: a summary of refusals
        // beyond the rate (AuditRecord.RefusalsSummarisedAction) is not a request.
        var keyRequest = $"(stream = {(int)AuditStream.KeyRequest} AND {AuditSearchIndexSql.KeyRequestPredicate})";
        var sql = $"SELECT sequence, {keyRequest}, {hour}, CASE WHEN {keyRequest} THEN {tsm} END, outcome, " +
            $"CASE WHEN {keyRequest} THEN {latency} END FROM audit_events WHERE sequence > @after ORDER BY sequence LIMIT @limit";
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        AuditRows.AddParameter(command, "@after", after);
        AuditRows.AddParameter(command, "@limit", limit);
        var facts = new List<KeyRequestFact>();
        var last = after;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            last = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            if (!Convert.ToBoolean(reader.GetValue(1), CultureInfo.InvariantCulture))
            {
                continue;
            }

            facts.Add(new KeyRequestFact(
                last,
                Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
                reader.IsDBNull(3) ? string.Empty : Convert.ToString(reader.GetValue(3), CultureInfo.InvariantCulture) ?? string.Empty,
                reader.GetString(4),
                LatencyBuckets.Of(Latency(reader, 5))));
        }

        return (facts, last);
    }

    private static long? Latency(DbDataReader reader, int i)
    {
        if (reader.IsDBNull(i))
        {
            return null;
        }

        var value = reader.GetValue(i);
        return value is string text
            ? long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : null
            : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }
}
