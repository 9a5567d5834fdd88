using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using Ttp.Tests.Shared;

namespace Ttp.Domain.Tests.Audit;

/// <summary>
/// The export of a key-request filter on both databases: the CSV holds exactly the matching records, oldest first; the
/// JSON Lines run verifies with the public key alone and marks exactly the matches up to the latest checkpoint; a record
/// changed with SQL fails it; no match writes no record.
/// </summary>
public sealed class AuditSelectionExportTests
{
    private static readonly string[] Tsms = ["acme", "globex", "initech"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExportSelectionAsync_Csv_RowsAreTheMatchingRecordsOldestFirst(DatabaseProvider provider)
    {
        await using var env = await WithMixedTrafficAsync(provider);
        var expected = await MatchingSequencesAsync(env, "globex", "ScopeDenied");
        using var output = new StringWriter();

        var result = await ExportAsync(env, output, AuditExportFormat.Csv, new KeyRequestFilter(Tsm: "globex", Outcome: "ScopeDenied"));

        var lines = output.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sequence,occurred_at,stream,action,actor,subject,outcome,details,hash", lines[0]);
        var sequences = lines.Skip(1).Select(l => long.Parse(l[..l.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, sequences);
        Assert.Equal(expected.Count, result.Records);
        Assert.Equal(expected.Count, result.Matches);
        Assert.Equal(expected[0], result.FirstSequence);
        Assert.Equal(expected[^1], result.LastSequence);
        Assert.All(lines.Skip(1), l => Assert.Contains(",KeyRequest,key-request,tsm:globex,", l, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExportSelectionAsync_JsonLines_VerifiesWithThePublicKeyAndMarksTheMatchesUpToTheLatestCheckpoint(DatabaseProvider provider)
    {
        await using var env = await WithMixedTrafficAsync(provider);
        var latest = env.Services.GetRequiredService<AuditCheckpointFile>().ReadLatest()!;
        // Appended after the latest checkpoint: matches, but not yet covered, so not exported.
        await AppendKeyRequestsAsync(env, 6, checkpoint: false);
        var expected = (await MatchingSequencesAsync(env, "globex", null)).Where(s => s <= latest.Sequence).ToList();
        using var output = new StringWriter();

        var result = await ExportAsync(env, output, AuditExportFormat.JsonLines, new KeyRequestFilter(Tsm: "globex"));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var marked = lines.Where(l => l.EndsWith(",\"match\":true}", StringComparison.Ordinal)).Select(SequenceOf).ToList();
        Assert.Equal(expected, marked);
        Assert.Equal(expected.Count, result.Matches);
        Assert.Equal(latest.Sequence, result.CoveredThrough);
        var verified = await VerifyAsync(env, output.ToString());
        Assert.True(verified.IsValid, verified.Problem);
        Assert.Equal(expected.Count, verified.RecordsMatched);
        Assert.Equal(expected[0], verified.FirstSequence);
        Assert.Equal(result.LastSequence, verified.LastSequence);
        Assert.Equal(result.Records, verified.RecordsVerified);
        Assert.InRange(verified.LastSequence, expected[^1], latest.Sequence);
        Assert.True(verified.Checkpoints >= 1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExportSelectionAsync_MatchingRecordAlteredInSql_JsonLinesFailsVerification(DatabaseProvider provider)
    {
        await using var env = await WithMixedTrafficAsync(provider);
        var target = (await MatchingSequencesAsync(env, "initech", null))[1];
        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE audit_events SET subject = 'issuer-key:A0000009/1' WHERE sequence = {target}"));
        using var output = new StringWriter();

        await ExportAsync(env, output, AuditExportFormat.JsonLines, new KeyRequestFilter(Tsm: "initech"));

        var verified = await VerifyAsync(env, output.ToString());
        Assert.False(verified.IsValid);
        Assert.Equal($"record {target} does not match its hash: it (or its hash) was altered", verified.Problem);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExportSelectionAsync_NoMatch_HeaderOnlyCsvAndEmptyJsonLines(DatabaseProvider provider)
    {
        await using var env = await WithMixedTrafficAsync(provider);
        var filter = new KeyRequestFilter(Tsm: "nobody");
        using var csv = new StringWriter();
        using var jsonl = new StringWriter();

        var csvResult = await ExportAsync(env, csv, AuditExportFormat.Csv, filter);
        var jsonlResult = await ExportAsync(env, jsonl, AuditExportFormat.JsonLines, filter);

        Assert.Equal("sequence,occurred_at,stream,action,actor,subject,outcome,details,hash\r\n", csv.ToString());
        Assert.Equal(string.Empty, jsonl.ToString());
        Assert.Equal(new AuditSelectionExport(0, 0, null, null, null), csvResult);
        Assert.Equal(0, jsonlResult.Records);
        Assert.Null(jsonlResult.FirstSequence);
    }

    [Fact]
    public void KeyRequests_MalformedField_ThrowsNamingTheField()
    {
        var error = Assert.Throws<ArgumentException>(() => AuditSelection.KeyRequests(new KeyRequestFilter(Kdd: "XYZ")));

        Assert.Equal("Kdd", error.ParamName);
        Assert.StartsWith("Kdd: expected hexadecimal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_MatchMarkNotTrue_FailsNamingTheMember()
    {
        await using var env = await WithMixedTrafficAsync(DatabaseProvider.Sqlite);
        using var output = new StringWriter();
        await ExportAsync(env, output, AuditExportFormat.JsonLines, new KeyRequestFilter(Tsm: "acme"));

        var edited = output.ToString().Replace("\"match\":true", "\"match\":\"yes\"", StringComparison.Ordinal);

        var verified = await VerifyAsync(env, edited);
        Assert.False(verified.IsValid);
        Assert.Contains("match: expected true", verified.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReferenceVerifierInPython_FilteredExport_OkCountingTheMarks()
    {
        await using var env = await WithMixedTrafficAsync(DatabaseProvider.Sqlite);
        var expected = await MatchingSequencesAsync(env, "globex", null);
        var folder = Directory.CreateTempSubdirectory("ttp-python-").FullName;
        try
        {
            using var output = new StringWriter();
            await ExportAsync(env, output, AuditExportFormat.JsonLines, new KeyRequestFilter(Tsm: "globex"));
            await File.WriteAllTextAsync(Path.Combine(folder, "export.jsonl"), output.ToString());
            await File.WriteAllTextAsync(Path.Combine(folder, "key.pem"), (await env.Services.GetRequiredService<AuditTrailVerifier>().PublicKeyAsync()).Pem);
            var script = Path.Combine(Repository.Root, "scripts", "verify-audit-export.py");

            var result = await AuditCheckpointFormatTests.RunAsync("/usr/bin/python3", folder, script, "export.jsonl", "key.pem");

            Assert.True(result.Exit == 0, result.Error);
            Assert.EndsWith($"; {expected.Count} marked as matching the filter", result.Output.TrimEnd(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // Staff actions and key requests of the real services, then key requests of three TSMs and outcomes with staff
    // actions naming a TSM among them, all checkpointed.
    private static async Task<KeyRequestEnvironment> WithMixedTrafficAsync(DatabaseProvider provider)
    {
        var env = await AnchoredTrail.WithTrafficAsync(provider, keyRequests: 2);
        await AppendKeyRequestsAsync(env, 30, checkpoint: true);
        return env;
    }

    private static async Task AppendKeyRequestsAsync(KeyRequestEnvironment env, int count, bool checkpoint)
    {
        var key = await env.Services.GetRequiredService<AuditKeyHolder>().GetAsync();
        string[] outcomes = ["ok", "ScopeDenied", "ok", "UnknownKey"];
        var records = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            var tsm = Tsms[i % Tsms.Length];
            var outcome = outcomes[i / 3 % outcomes.Length];
            records.Add(AuditRecord.KeyRequest(Actor.Tsm(tsm), "issuer-key:A0000001/1", outcome,
                new { RequestId = Guid.NewGuid(), Tsm = tsm, Iin = "A0000001", Kdd = "00003266201710200001", Kvn = 1, KekIndex = 1, Outcome = outcome }));
            if (i % 7 == 3)
            {
                records.Add(AuditRecord.StaffAction("tsm.suspended", Actor.Staff("op@ttp.example"), $"tsm:{tsm}", new { Tsm = tsm }));
            }
        }

        await using (var db = env.Database.Factory.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await AuditLedger.AppendAsync(db, records, key);
            await transaction.CommitAsync();
        }

        if (checkpoint)
        {
            await AnchoredTrail.Anchor(env).CheckpointHeadAsync();
        }
    }

    // What the filter must select, found independently of its SQL: key-request rows whose stored JSON names the TSM.
    private static async Task<List<long>> MatchingSequencesAsync(KeyRequestEnvironment env, string tsm, string? outcome)
    {
        await using var db = env.Database.Factory.CreateDbContext();
        var rows = await db.AuditEvents.AsNoTracking().Where(e => e.Action == "key-request").OrderBy(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Details, e.Outcome }).ToListAsync();
        return [.. rows.Where(r => r.Details.Contains($"\"tsm\":\"{tsm}\"", StringComparison.Ordinal) && (outcome is null || r.Outcome == outcome)).Select(r => r.Sequence)];
    }

    // Exports, and checks that what beforeWriting was told, before anything was written, is what was written.
    private static async Task<AuditSelectionExport> ExportAsync(KeyRequestEnvironment env, TextWriter output, AuditExportFormat format, KeyRequestFilter filter)
    {
        AuditSelectionExport? planned = null;
        var result = await AuditExporter.ExportSelectionAsync(env.Database.Factory, output, format, env.Services.GetRequiredService<AuditCheckpointFile>(),
            AuditSelection.KeyRequests(filter), (plan, _) =>
            {
                Assert.Empty(output.ToString()!);
                planned = plan;
                return Task.CompletedTask;
            });
        Assert.Equal(result, planned);
        return result;
    }

    private static async Task<AuditExportVerificationResult> VerifyAsync(KeyRequestEnvironment env, string export)
    {
        using var key = AuditPublicKey.FromPem((await env.Services.GetRequiredService<AuditTrailVerifier>().PublicKeyAsync()).Pem);
        return await AuditExportVerifier.VerifyAsync(new StringReader(export), key);
    }

    private static long SequenceOf(string line)
    {
        using var json = JsonDocument.Parse(line);
        return json.RootElement.GetProperty("sequence").GetInt64();
    }
}
