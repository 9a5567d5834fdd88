using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

public sealed class AuditExporterTests
{
    private static readonly DateTimeOffset Day = new(2026, 2, 10, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExportAsync_Csv_RoundTripsEveryField(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        var stored = await AppendAwkwardRecordsAsync(database, key);
        using var output = new StringWriter();

        var count = await AuditExporter.ExportAsync(database.Factory, output, AuditExportFormat.Csv);

        var rows = ParseCsv(output.ToString());
        Assert.Equal(stored.Count, count);
        Assert.Equal(["sequence", "occurred_at", "stream", "action", "actor", "subject", "outcome", "details", "hash"], rows[0]);
        Assert.Equal(stored.Count + 1, rows.Count);
        for (var i = 0; i < stored.Count; i++)
        {
            AssertSameRecord(stored[i], rows[i + 1]);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExportAsync_JsonLines_RoundTripsEveryField(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        var stored = await AppendAwkwardRecordsAsync(database, key);
        using var output = new StringWriter();

        await AuditExporter.ExportAsync(database.Factory, output, AuditExportFormat.JsonLines);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(stored.Count, lines.Length);
        for (var i = 0; i < stored.Count; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            var root = json.RootElement;
            Assert.Equal(JsonValueKind.Object, root.GetProperty("details").ValueKind);
            AssertSameRecord(stored[i],
            [
                root.GetProperty("sequence").GetInt64().ToString(CultureInfo.InvariantCulture),
                root.GetProperty("occurred_at").GetString()!,
                root.GetProperty("stream").GetString()!,
                root.GetProperty("action").GetString()!,
                root.GetProperty("actor").GetString()!,
                root.GetProperty("subject").GetString()!,
                root.GetProperty("outcome").GetString()!,
                root.GetProperty("details").GetRawText(),
                root.GetProperty("hash").GetString()!,
            ]);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExportAsync_Range_FromInclusiveToExclusive(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await using (var db = database.Factory.CreateDbContext())
        {
            var records = Enumerable.Range(0, 5)
                .Select(d => AuditTestSupport.StaffRecord(d).WithOccurredAt(Day.AddDays(d)))
                .ToList();
            await AuditLedger.AppendAsync(db, records, key);
        }

        using var output = new StringWriter();
        var count = await AuditExporter.ExportAsync(database.Factory, output, AuditExportFormat.Csv,
            from: Day.AddDays(1).ToOffset(TimeSpan.FromHours(3)), to: Day.AddDays(3));

        var rows = ParseCsv(output.ToString());
        Assert.Equal(2, count);
        Assert.Equal(["2", "3"], rows.Skip(1).Select(r => r[0]));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExportAsync_DetailsChangedToMultiLineText_StillOneJsonObjectPerLine(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await AuditTestSupport.AppendAsync(database, key, 3);
        var newline = provider == DatabaseProvider.Sqlite ? "char(10)" : "chr(10)";
        await AuditTestSupport.ExecuteRawAsync(database, $"UPDATE audit_events SET details = '{{not' || {newline} || 'json' WHERE sequence = 2");
        using var output = new StringWriter();

        await AuditExporter.ExportAsync(database.Factory, output, AuditExportFormat.JsonLines);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        using var changed = JsonDocument.Parse(lines[1]);
        Assert.Equal("{not\njson", changed.RootElement.GetProperty("details").GetString());
    }

    private static async Task<List<AuditEvent>> AppendAwkwardRecordsAsync(TestDatabase database, AuditKey key)
    {
        var records = new[]
        {
            new AuditRecord(AuditStream.StaffAction, "tsm.registered", "user:o'brien@ttp.example", "tsm:acme, \"the\" one", "ok",
                "{\"name\":\"acme, \\\"quoted\\\"\", \"note\":\"line\\nbreak\"}", Day.AddTicks(1_234_560)),
            new AuditRecord(AuditStream.KeyRequest, "key-request", "tsm:acme", "issuer-key:A0000001/1", "WeakKek",
                "{\"remote\":\"[::1]:443\",\"text\":\"é ✓ 🔑 <tag>&amp;\"}", Day.AddHours(1)),
            new AuditRecord(AuditStream.StaffAction, "user.added", "user:alice@ttp.example", "", "ok", "{}", Day.AddHours(2)),
        };
        await using var db = database.Factory.CreateDbContext();
        await AuditLedger.AppendAsync(db, records, key);
        return await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
    }

    private static void AssertSameRecord(AuditEvent expected, string[] fields)
    {
        Assert.Equal(9, fields.Length);
        Assert.Equal(expected.Sequence, long.Parse(fields[0], CultureInfo.InvariantCulture));
        Assert.Equal(expected.OccurredAt, DateTimeOffset.Parse(fields[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
        Assert.EndsWith("Z", fields[1], StringComparison.Ordinal);
        Assert.Equal(expected.Stream, Enum.Parse<AuditStream>(fields[2]));
        Assert.Equal(expected.Action, fields[3]);
        Assert.Equal(expected.Actor, fields[4]);
        Assert.Equal(expected.Subject, fields[5]);
        Assert.Equal(expected.Outcome, fields[6]);
        Assert.Equal(expected.Details, fields[7]);
        Assert.Equal(expected.Hash, Convert.FromHexString(fields[8]));
    }

    // RFC 4180: fields separated by commas, records by CRLF; a quoted field may hold commas, CR, LF and doubled quotes.
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                Assert.NotEqual('\n', c);
                field.Append(c);
            }
        }

        Assert.Equal(0, field.Length);
        Assert.Empty(row);
        return rows;
    }
}
