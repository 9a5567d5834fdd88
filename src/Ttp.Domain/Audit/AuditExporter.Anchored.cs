using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>The verifiable export: a contiguous run of records with the checkpoints that cover it.</summary>
public static partial class AuditExporter
{
    /// <summary>
    /// Writes the verifiable export of the records of a time range: the contiguous run of records from the first one at
    /// or after <paramref name="from"/> to the first checkpoint at or after the last one before <paramref name="to"/>
    /// (either bound may be null: open), never past the latest checkpoint, so that every record is covered by a
    /// checkpoint (records near the bounds may lie just outside the dates: they are timed by their callers before they
    /// are sequenced, and the run ends at a checkpoint). JSON Lines (docs/OPERATIONS.md, "Verifying an export"): first
    /// <c>{"chain_start":{"sequence":S-1,"hash":"...","hmac_through":N}}</c>, then each record (as in the other
    /// overload, but <c>details</c> as a JSON string holding the stored text exactly), each checkpoint
    /// <c>{"checkpoint":{...}}</c> right after the record it covers. CSV: the same records, without the checkpoints.
    /// </summary>
    /// <returns>How many records were written.</returns>
    public static Task<long> ExportAsync(
        IDbContextFactory<TtpDbContext> factory,
        TextWriter output,
        AuditExportFormat format,
        AuditCheckpointFile anchors,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        CancellationToken cancellationToken = default) =>
        ExportAsync(factory, output, format, anchors, from, to, null, cancellationToken);

    /// <summary>
    /// As the overload without <paramref name="progress"/>, telling it the records written so far every
    /// <see cref="ProgressStep"/> records (<c>ttpctl audit export</c> shows it on a terminal).
    /// </summary>
    /// <returns>How many records were written.</returns>
    public static async Task<long> ExportAsync(
        IDbContextFactory<TtpDbContext> factory,
        TextWriter output,
        AuditExportFormat format,
        AuditCheckpointFile anchors,
        DateTimeOffset? from,
        DateTimeOffset? to,
        IProgress<long>? progress,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(anchors);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format.");
        }

        // The latest checkpoint before the snapshot: every record it covers is committed and in the snapshot.
        var latest = anchors.ReadLatest();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var snapshot = await AuditReadSnapshot.BeginAsync(db, cancellationToken);
        var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
        var cap = latest?.Sequence ?? head.LastSequence;
        var run = await FindRunAsync(db, anchors, cap, from?.ToUniversalTime(), to?.ToUniversalTime(), cancellationToken);
        if (format == AuditExportFormat.Csv)
        {
            await output.WriteAsync(CsvHeader + "\r\n");
        }

        if (run is not { } bounds)
        {
            await output.FlushAsync(cancellationToken);
            return 0;
        }

        var (count, _) = await WriteRunAsync(db, output, format, anchors, bounds, latest?.HmacThrough ?? head.HmacThrough, null, progress, cancellationToken);
        return count;
    }

    /// <summary>How many records are written between two reports of progress (a power of two).</summary>
    public const int ProgressStep = 1024;

    private static void ReportEvery(IProgress<long>? progress, long count)
    {
        if ((count & (ProgressStep - 1)) == 0)
        {
            progress?.Report(count);
        }
    }

    /// <summary>
    /// Writes the run <paramref name="bounds"/> (from its first record to the checkpoint covering its last) in
    /// <paramref name="format"/>, after the CSV header the caller wrote; in JSON Lines the <c>chain_start</c> line, the
    /// records and the checkpoints between them, each record matching <paramref name="marks"/> with <c>"match":true</c>.
    /// </summary>
    /// <returns>How many records were written, and how many of them matched <paramref name="marks"/>.</returns>
    private static async Task<(long Records, long Matches)> WriteRunAsync(
        TtpDbContext db, TextWriter output, AuditExportFormat format, AuditCheckpointFile anchors, (long First, long Last) bounds,
        long hmacThrough, AuditSelection? marks, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var line = new StringBuilder(512);
        var json = new ArrayBufferWriter<byte>(1024);
        await using var checkpoints = CheckpointsOf(anchors, bounds.First - 1, bounds.Last, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var next = await checkpoints.MoveNextAsync() ? checkpoints.Current : null;
        if (format == AuditExportFormat.JsonLines)
        {
            var previous = bounds.First == 1
                ? AuditHash.Genesis.ToArray()
                : await db.AuditEvents.AsNoTracking().Where(e => e.Sequence == bounds.First - 1).Select(e => e.Hash).SingleOrDefaultAsync(cancellationToken) ?? new byte[AuditHash.Size];
            WriteObject(line, json, "chain_start", w =>
            {
                w.WriteNumber("sequence", bounds.First - 1);
                w.WriteString("hash", Convert.ToHexStringLower(previous));
                w.WriteNumber("hmac_through", hmacThrough);
            });
            await output.WriteAsync(line, cancellationToken);
        }

        long count = 0, matches = 0;
        await foreach (var (record, match) in AuditEventRows.ReadRunAsync(db, bounds.First, bounds.Last, marks, cancellationToken).WithCancellation(cancellationToken))
        {
            matches += match ? 1 : 0;
            if (format == AuditExportFormat.Csv)
            {
                line.Clear();
                AppendCsv(line, record);
                await output.WriteAsync(line, cancellationToken);
                ReportEvery(progress, ++count);
                continue;
            }

            next = await WriteCheckpointsAsync(output, line, json, checkpoints, next, record.Sequence - 1, cancellationToken);
            line.Clear();
            AppendJsonLine(line, json, record, detailsAsText: true, match: match);
            await output.WriteAsync(line, cancellationToken);
            ReportEvery(progress, ++count);
        }

        if (format == AuditExportFormat.JsonLines)
        {
            await WriteCheckpointsAsync(output, line, json, checkpoints, next, bounds.Last, cancellationToken);
        }

        await output.FlushAsync(cancellationToken);
        return (count, matches);
    }

    // The first and last record of the export, or null when no record falls in the range.
    private static async Task<(long First, long Last)?> FindRunAsync(
        TtpDbContext db, AuditCheckpointFile anchors, long cap, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var inRange = db.AuditEvents.AsNoTracking().Where(e => e.Sequence <= cap);
        if (from is { } start)
        {
            inRange = inRange.Where(e => e.OccurredAt >= start);
        }

        var first = await inRange.MinAsync(e => (long?)e.Sequence, cancellationToken);
        if (to is { } end)
        {
            inRange = inRange.Where(e => e.OccurredAt < end);
        }

        var last = await inRange.MaxAsync(e => (long?)e.Sequence, cancellationToken);
        if (first is not { } s || last is not { } l || s > l)
        {
            return null;
        }

        return await CoveredRunAsync(anchors, s, l, cap, cancellationToken);
    }

    // The run from first to the checkpoint (at most cap) that covers last; to last when none does.
    private static async Task<(long First, long Last)> CoveredRunAsync(AuditCheckpointFile anchors, long first, long last, long cap, CancellationToken cancellationToken)
    {
        await foreach (var checkpoint in CheckpointsOf(anchors, last, cap, cancellationToken))
        {
            return (first, checkpoint.Sequence);
        }

        return (first, last);
    }

    // The anchors file's checkpoints covering sequences from..to, in order (unreadable lines are left out: verification
    // then reports the broken link).
    private static async IAsyncEnumerable<AuditCheckpoint> CheckpointsOf(
        AuditCheckpointFile anchors, long from, long to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (_, text) in anchors.ReadLinesAsync(cancellationToken))
        {
            AuditCheckpoint checkpoint;
            try
            {
                checkpoint = AuditCheckpointJson.ParseLine(text);
            }
            catch (FormatException)
            {
                continue;
            }

            if (checkpoint.Sequence > to)
            {
                yield break;
            }

            if (checkpoint.Sequence >= from)
            {
                yield return checkpoint;
            }
        }
    }

    private static async Task<AuditCheckpoint?> WriteCheckpointsAsync(
        TextWriter output, StringBuilder line, ArrayBufferWriter<byte> json, IAsyncEnumerator<AuditCheckpoint> checkpoints, AuditCheckpoint? next, long through, CancellationToken cancellationToken)
    {
        while (next is not null && next.Sequence <= through)
        {
            var checkpoint = next;
            WriteObject(line, json, "checkpoint", w => AuditCheckpointJson.Write(w, checkpoint), nested: true);
            await output.WriteAsync(line, cancellationToken);
            next = await checkpoints.MoveNextAsync() ? checkpoints.Current : null;
        }

        return next;
    }

    // One line {"name":{...}}: the object's members written by write (or the whole object when nested).
    private static void WriteObject(StringBuilder line, ArrayBufferWriter<byte> buffer, string name, Action<Utf8JsonWriter> write, bool nested = false)
    {
        buffer.Clear();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(name);
            if (nested)
            {
                write(writer);
            }
            else
            {
                writer.WriteStartObject();
                write(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        line.Clear();
        line.Append(Encoding.UTF8.GetString(buffer.WrittenSpan)).Append('\n');
    }
}
