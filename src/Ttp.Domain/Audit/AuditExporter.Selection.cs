using System.Text;
using Microsoft.EntityFrameworkCore;
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
    /// <returns>What was written (see <see cref="AuditSelectionExport"/>).</returns>
    public static async Task<AuditSelectionExport> ExportSelectionAsync(
        IDbContextFactory<TtpDbContext> factory,
        TextWriter output,
        AuditExportFormat format,
        AuditCheckpointFile anchors,
        AuditSelection selection,
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
            return await WriteMatchingCsvAsync(db, output, selection, cancellationToken);
        }

        var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
        var cap = latest?.Sequence ?? head.LastSequence;
        if (await MatchingBoundsAsync(db, selection, cap, cancellationToken) is not { } matching)
        {
            await output.FlushAsync(cancellationToken);
            return new AuditSelectionExport(0, 0, null, null, cap);
        }

        var bounds = await CoveredRunAsync(anchors, matching.First, matching.Last, cap, cancellationToken);
        var (records, matches) = await WriteRunAsync(db, output, format, anchors, bounds, latest?.HmacThrough ?? head.HmacThrough, selection, cancellationToken);
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

    // The first and last matching record up to cap, or null when none matches.
    private static async Task<(long First, long Last)?> MatchingBoundsAsync(TtpDbContext db, AuditSelection selection, long cap, CancellationToken cancellationToken)
    {
        var sqlite = db.Database.IsSqlite();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(db.Database.CurrentTransaction!);
        var sql = new StringBuilder($"SELECT MIN({AuditSchema.Sequence}), MAX({AuditSchema.Sequence}) FROM {AuditSchema.EventsTable} WHERE {AuditSchema.Sequence} <= @run_cap AND (");
        AuditRows.AddParameter(command, "@run_cap", cap);
        selection.AppendCondition(sql, sqlite, command);
        command.CommandText = sql.Append(')').ToString();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(0))
        {
            return null;
        }

        return (Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>What <see cref="AuditExporter.ExportSelectionAsync"/> wrote.</summary>
/// <param name="Records">Records written (in JSON Lines, the whole run, matching or not).</param>
/// <param name="Matches">Records written that match the selection (in CSV, all of them).</param>
/// <param name="FirstSequence">The first record written; null when none.</param>
/// <param name="LastSequence">The last record written (in JSON Lines, the one the run's last checkpoint covers); null when none.</param>
/// <param name="CoveredThrough">JSON Lines: the latest checkpoint's record, past which nothing is exported (null in CSV).</param>
public sealed record AuditSelectionExport(long Records, long Matches, long? FirstSequence, long? LastSequence, long? CoveredThrough);
