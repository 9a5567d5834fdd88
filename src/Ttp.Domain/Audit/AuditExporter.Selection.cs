using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>The export of a filter (the auditor's workspace): its matching records, or the verifiable run around them.</summary>
public static partial class AuditExporter
{
    /// <summary>
    /// Writes the records of <paramref name="selection"/>, streaming from the database in sequence order (oldest first).
    /// <list type="bullet">
    /// <item>CSV: the matching records alone, every one in the read snapshot, with the columns of the other exports.</item>
    /// <item>JSON Lines: the verifiable export (as <see cref="ExportAsync(IDbContextFactory{TtpDbContext}, TextWriter, AuditExportFormat, AuditCheckpointFile, DateTimeOffset?, DateTimeOffset?, CancellationToken)"/>)
    /// of the contiguous run from the first matching record to the checkpoint that covers the last one, each matching
    /// record marked <c>"match":true</c> (a mark outside the hash: the records are proven, which of them match the
    /// filter anyone can re-check in them). A hash chain can only be recomputed over a contiguous run, hence the records
    /// between the matches. Matching records after the latest checkpoint are left out (not yet covered: they are in the
    /// next export); nothing at all is written when no record matches up to it.</item>
    /// </list>
    /// </summary>
    /// <param name="factory">The database.</param>
    /// <param name="output">Where to write; flushed at the end.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="anchors">The checkpoints.</param>
    /// <param name="selection">Which records.</param>
    /// <param name="beforeWriting">Called with what will be written (counted in the read snapshot the export then
    /// streams) before anything is written: the caller records the export in the audit trail there, so that no export
    /// leaves unrecorded. An exception stops the export with nothing written.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>What was written (see <see cref="AuditSelectionExport"/>).</returns>
    public static async Task<AuditSelectionExport> ExportSelectionAsync(
        IDbContextFactory<TtpDbContext> factory,
        TextWriter output,
        AuditExportFormat format,
        AuditCheckpointFile anchors,
        AuditSelection selection,
        Func<AuditSelectionExport, CancellationToken, Task>? beforeWriting = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(selection);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format.");
        }

        // The latest checkpoint before the snapshot: every record it covers is committed and in the snapshot.
        var latest = anchors.ReadLatest();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var snapshot = await AuditReadSnapshot.BeginAsync(db, cancellationToken);
        if (format == AuditExportFormat.Csv)
        {
            var planned = await MatchingAsync(db, selection, null, cancellationToken);
            await (beforeWriting?.Invoke(new AuditSelectionExport(planned.Count, planned.Count, planned.First, planned.Last, null), cancellationToken) ?? Task.CompletedTask);
            return await WriteMatchingCsvAsync(db, output, selection, cancellationToken);
        }

        var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
        var cap = latest?.Sequence ?? head.LastSequence;
        var matching = await MatchingAsync(db, selection, cap, cancellationToken);
        if (matching.Count == 0)
        {
            await (beforeWriting?.Invoke(new AuditSelectionExport(0, 0, null, null, cap), cancellationToken) ?? Task.CompletedTask);
            await output.FlushAsync(cancellationToken);
            return new AuditSelectionExport(0, 0, null, null, cap);
        }

        var bounds = await CoveredRunAsync(anchors, matching.First!.Value, matching.Last!.Value, cap, cancellationToken);
        await (beforeWriting?.Invoke(new AuditSelectionExport(bounds.Last - bounds.First + 1, matching.Count, bounds.First, bounds.Last, cap), cancellationToken) ?? Task.CompletedTask);
        var (records, matches) = await WriteRunAsync(db, output, format, anchors, bounds, latest?.HmacThrough ?? head.HmacThrough, selection, null, cancellationToken);
        return new AuditSelectionExport(records, matches, bounds.First, bounds.Last, cap);
    }

    private static async Task<AuditSelectionExport> WriteMatchingCsvAsync(TtpDbContext db, TextWriter output, AuditSelection selection, CancellationToken cancellationToken)
    {
        await output.WriteAsync(CsvHeader + "\r\n");
        var line = new StringBuilder(512);
        long count = 0;
        long? first = null, last = null;
        await foreach (var (record, _) in AuditEventRows.ReadMatchingAsync(db, selection, cancellationToken).WithCancellation(cancellationToken))
        {
            line.Clear();
            AppendCsv(line, record);
            await output.WriteAsync(line, cancellationToken);
            first ??= record.Sequence;
            last = record.Sequence;
            count++;
        }

        await output.FlushAsync(cancellationToken);
        return new AuditSelectionExport(count, count, first, last, null);
    }

    // How many records match (up to cap, when given), the first and the last.
    private static async Task<(long Count, long? First, long? Last)> MatchingAsync(TtpDbContext db, AuditSelection selection, long? cap, CancellationToken cancellationToken)
    {
        var sqlite = db.Database.IsSqlite();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var sql = new StringBuilder($"SELECT COUNT(*), MIN({AuditSchema.Sequence}), MAX({AuditSchema.Sequence}) FROM {AuditSchema.EventsTable} WHERE (");
        selection.AppendCondition(sql, sqlite, command);
        sql.Append(')');
        if (cap is { } through)
        {
            KeyRequestFilterSql.AppendComparison(sql, command, AuditSchema.Sequence, "<=", "run_cap", through);
        }

        command.CommandText = sql.ToString();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        long? Number(int i) => reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
        return (Number(0) ?? 0, Number(1), Number(2));
    }
}

/// <summary>What <see cref="AuditExporter.ExportSelectionAsync"/> writes (before writing) or wrote.</summary>
/// <param name="Records">Records written (in JSON Lines, the whole run, matching or not).</param>
/// <param name="Matches">Records written that match the selection (in CSV, all of them).</param>
/// <param name="FirstSequence">The first record written; null when none.</param>
/// <param name="LastSequence">The last record written (in JSON Lines, the one the run's last checkpoint covers); null when none.</param>
/// <param name="CoveredThrough">JSON Lines: the latest checkpoint's record, past which nothing is exported (null in CSV).</param>
public sealed record AuditSelectionExport(long Records, long Matches, long? FirstSequence, long? LastSequence, long? CoveredThrough);
