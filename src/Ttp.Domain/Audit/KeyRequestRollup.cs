using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Maintains the key-request rollup (<see cref="KeyRequestRollupRow"/>): reads the records after the watermark in
/// batches (plain SQL over the primary key, <see cref="KeyRequestFacts"/>), counts them per hour, TSM, outcome and
/// latency bucket, and adds the counts with an upsert while moving the watermark, in one short transaction. Nothing is
/// added to the audit writer's append path: the rollup trails the chain and is caught up by a background timer (and
/// by <c>ttpctl</c>-side tools). Safe to run concurrently: the watermark moves only from the value the batch started
/// at (a compare-and-set), so a batch counted twice is rolled back. Derived, not authenticated: the chain is the record.
/// </summary>
public sealed class KeyRequestRollup(IDbContextFactory<TtpDbContext> factory)
{
    /// <summary>Records read per batch.</summary>
    public const int DefaultBatchSize = 10_000;

    // 5 parameters per row: far below SQLite's 32766 and PostgreSQL's 65535.
    private const int RowsPerStatement = 200;

    /// <summary>The last sequence counted.</summary>
    public async Task<long> WatermarkAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await ReadWatermarkAsync(db, cancellationToken);
    }

    /// <summary>
    /// Counts the records after the watermark, batch by batch, until none is left (or <paramref name="maxBatches"/>
    /// batches ran); returns how many key-request records were added.
    /// </summary>
    public async Task<long> CatchUpAsync(int batchSize = DefaultBatchSize, int maxBatches = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        long added = 0;
        for (var batch = 0; batch < maxBatches; batch++)
        {
            var (counted, more) = await RunBatchAsync(batchSize, cancellationToken);
            added += counted;
            if (!more)
            {
                break;
            }
        }

        return added;
    }

    /// <summary>One batch: (key requests counted, whether records may remain after it).</summary>
    private async Task<(int Counted, bool More)> RunBatchAsync(int batchSize, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var watermark = await ReadWatermarkAsync(db, cancellationToken);
        // Read outside the write transaction (records are immutable and appended in sequence order), so that the
        // SQLite write lock is held only for the upsert.
        var (facts, last) = await KeyRequestFacts.ReadAsync(db, watermark, batchSize, cancellationToken);
        if (last == watermark)
        {
            return (0, false);
        }

        var counts = Count(facts);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        // The watermark moves first: its row lock orders concurrent catch-ups (the later one finds it moved and stops).
        await using var move = connection.CreateCommand();
        move.Transaction = transaction.GetDbTransaction();
        move.CommandText = $"UPDATE {KeyRequestRollupState.Table} SET watermark = @last WHERE id = {KeyRequestRollupState.SingletonId} AND watermark = @watermark";
        AuditRows.AddParameter(move, "@last", last);
        AuditRows.AddParameter(move, "@watermark", watermark);
        if (await move.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            // Another catch-up counted this batch first.
            await transaction.RollbackAsync(cancellationToken);
            return (0, true);
        }

        var rows = counts.ToList();
        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            await UpsertAsync(connection, transaction.GetDbTransaction(), rows.Skip(start).Take(RowsPerStatement).ToList(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (facts.Count, true);
    }

    /// <summary>The facts counted per (hour, TSM, outcome, bucket).</summary>
    internal static Dictionary<(long Hour, string Tsm, string Outcome, int Bucket), long> Count(IEnumerable<KeyRequestFact> facts)
    {
        var counts = new Dictionary<(long, string, string, int), long>();
        foreach (var fact in facts)
        {
            var key = (fact.Hour, fact.Tsm, fact.Outcome, fact.Bucket);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        return counts;
    }

    internal static async Task<long> ReadWatermarkAsync(TtpDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = $"SELECT watermark FROM {KeyRequestRollupState.Table} WHERE id = {KeyRequestRollupState.SingletonId}";
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private static async Task UpsertAsync(
        DbConnection connection, DbTransaction transaction,
        List<KeyValuePair<(long Hour, string Tsm, string Outcome, int Bucket), long>> rows, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder($"INSERT INTO {KeyRequestRollupRow.Table} (hour, tsm, outcome, bucket, requests) VALUES ");
        for (var i = 0; i < rows.Count; i++)
        {
            var ((hour, tsm, outcome, bucket), requests) = rows[i];
            sql.Append(i == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture, $"(@h{i}, @t{i}, @o{i}, @b{i}, @r{i})");
            AuditRows.AddParameter(command, $"@h{i}", hour);
            AuditRows.AddParameter(command, $"@t{i}", tsm);
            AuditRows.AddParameter(command, $"@o{i}", outcome);
            AuditRows.AddParameter(command, $"@b{i}", bucket);
            AuditRows.AddParameter(command, $"@r{i}", requests);
        }

        sql.Append($" ON CONFLICT (hour, tsm, outcome, bucket) DO UPDATE SET requests = {KeyRequestRollupRow.Table}.requests + excluded.requests");
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
