using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Writes audit records of a time range to a text writer (<c>ttpctl audit export</c>, the auditor's CSV download), in
/// sequence order, streaming. Fields, in order: <c>sequence</c>, <c>occurred_at</c> (ISO 8601 UTC with microseconds),
/// <c>stream</c> (<c>StaffAction</c> or <c>KeyRequest</c>), <c>action</c>, <c>actor</c>, <c>subject</c>,
/// <c>outcome</c>, <c>details</c> (the stored JSON text), <c>hash</c> (lower-case hex), so that whoever holds the audit
/// key can recompute the chain from an export of all of it.
/// </summary>
/// <remarks>
/// The overload with the anchors writes the verifiable export (<c>ttpctl audit export</c>): see
/// <see cref="ExportAsync(IDbContextFactory{TtpDbContext}, TextWriter, AuditExportFormat, AuditCheckpointFile, DateTimeOffset?, DateTimeOffset?, CancellationToken)"/>.
/// CSV values are written as stored: a spreadsheet may read a value that starts with <c>=</c>, <c>+</c>, <c>-</c> or
/// <c>@</c> as a formula; open exports as text. Recording the export itself in the chain is the caller's part.
/// </remarks>
public static partial class AuditExporter
{
    private const string CsvHeader = "sequence,occurred_at,stream,action,actor,subject,outcome,details,hash";
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    private static readonly SearchValues<char> CsvSpecial = SearchValues.Create(",\"\r\n");

    /// <summary>
    /// Writes the records with <paramref name="from"/> &lt;= occurred at &lt; <paramref name="to"/> (either bound may be
    /// null: open) in <paramref name="format"/>.
    /// </summary>
    /// <returns>How many records were written.</returns>
    public static async Task<long> ExportAsync(
        IDbContextFactory<TtpDbContext> factory,
        TextWriter output,
        AuditExportFormat format,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(output);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format.");
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEvents.AsNoTracking();
        if (from is { } start)
        {
            var utcStart = start.ToUniversalTime();
            query = query.Where(e => e.OccurredAt >= utcStart);
        }

        if (to is { } end)
        {
            var utcEnd = end.ToUniversalTime();
            query = query.Where(e => e.OccurredAt < utcEnd);
        }

        if (format == AuditExportFormat.Csv)
        {
            await output.WriteAsync(CsvHeader + "\r\n");
        }

        var line = new StringBuilder(512);
        var json = new ArrayBufferWriter<byte>(1024);
        long count = 0;
        await foreach (var record in query.OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            line.Clear();
            if (format == AuditExportFormat.Csv)
            {
                AppendCsv(line, record);
            }
            else
            {
                AppendJsonLine(line, json, record);
            }

            await output.WriteAsync(line, cancellationToken);
            count++;
        }

        await output.FlushAsync(cancellationToken);
        return count;
    }

    private static void AppendCsv(StringBuilder line, AuditEvent record)
    {
        line.Append(record.Sequence.ToString(CultureInfo.InvariantCulture)).Append(',');
        line.Append(FormatTime(record.OccurredAt)).Append(',');
        AppendCsvField(line, record.Stream.ToString());
        line.Append(',');
        AppendCsvField(line, record.Action);
        line.Append(',');
        AppendCsvField(line, record.Actor);
        line.Append(',');
        AppendCsvField(line, record.Subject);
        line.Append(',');
        AppendCsvField(line, record.Outcome);
        line.Append(',');
        AppendCsvField(line, record.Details);
        line.Append(',');
        line.Append(Convert.ToHexStringLower(record.Hash)).Append("\r\n");
    }

    private static void AppendCsvField(StringBuilder line, string value)
    {
        if (value.AsSpan().IndexOfAny(CsvSpecial) < 0)
        {
            line.Append(value);
            return;
        }

        line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static void AppendJsonLine(StringBuilder line, ArrayBufferWriter<byte> buffer, AuditEvent record, bool detailsAsText = false, bool match = false)
    {
        buffer.Clear();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("sequence", record.Sequence);
            writer.WriteString("occurred_at", FormatTime(record.OccurredAt));
            writer.WriteString("stream", record.Stream.ToString());
            writer.WriteString("action", record.Action);
            writer.WriteString("actor", record.Actor);
            writer.WriteString("subject", record.Subject);
            writer.WriteString("outcome", record.Outcome);
            writer.WritePropertyName("details");
            var details = Encoding.UTF8.GetBytes(record.Details);
            if (detailsAsText)
            {
                // The stored text exactly, as a JSON string: what the canonical form hashes, whatever parser reads it.
                writer.WriteStringValue(record.Details);
            }
            else if (IsOneLineJson(details))
            {
                writer.WriteRawValue(details, skipInputValidation: true);
            }
            else
            {
                // Only a changed record holds text that is not one-line JSON: export it as a string, so that the line
                // stays one JSON object (verification flags the record).
                writer.WriteStringValue(record.Details);
            }

            writer.WriteString("hash", Convert.ToHexStringLower(record.Hash));
            if (match)
            {
                // Outside the hash: which records the export's filter selected (AuditExporter.Selection.cs).
                writer.WriteBoolean("match", true);
            }

            writer.WriteEndObject();
        }

        line.Append(Encoding.UTF8.GetString(buffer.WrittenSpan)).Append('\n');
    }

    private static bool IsOneLineJson(ReadOnlySpan<byte> utf8)
    {
        if (utf8.ContainsAnyInRange((byte)0, (byte)0x1F))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8);
            while (reader.Read())
            {
            }

            return reader.BytesConsumed == utf8.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string FormatTime(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
}
