using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;

namespace Ttp.Domain.Tests.Audit;

/// <summary>
/// The verifiable export checked with the public key alone (no database, no LMK): intact it verifies; a record altered,
/// removed or appended, a checkpoint removed or changed, or another key, each fails naming the first problem.
/// </summary>
public sealed class AuditExportVerifierTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task VerifyAsync_FullExport_EveryRecordVerifiedAndCoveredByTheLastCheckpoint(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        var last = await AnchoredTrail.LastSequenceAsync(env);
        var lines = await ExportAsync(env);

        var result = await VerifyAsync(lines, await PemOfAsync(env));

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(1, result.FirstSequence);
        Assert.Equal(last, result.LastSequence);
        Assert.Equal(last, result.RecordsVerified);
        Assert.Equal(last, result.LatestCheckpoint);
        Assert.Equal(lines.Count(l => l.StartsWith("{\"checkpoint\":", StringComparison.Ordinal)), result.Checkpoints);
        Assert.StartsWith("{\"chain_start\":{\"sequence\":0,\"hash\":\"" + new string('0', 64) + "\",\"hmac_through\":0}}", lines[0], StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Edits() => new()
    {
        { "record altered", "does not match its hash: it (or its hash) was altered" },
        { "record removed", "is missing: removed from the export" },
        { "record before its checkpoint removed", "not the record it covers: records were removed, inserted or moved" },
        { "record appended", "is not covered by a checkpoint: it was appended after the export was made" },
        { "record altered, hashes recomputed", "does not match the checkpoint at sequence" },
        { "checkpoint removed", "does not follow the checkpoint at sequence" },
        { "last checkpoint cut off", "are not covered by a checkpoint" },
        { "checkpoint changed", "does not verify: the checkpoint was changed or forged" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task VerifyAsync_ExportEdited_FailsNamingTheFirstProblem(string edit, string expected)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(DatabaseProvider.Sqlite, keyRequests: 5);
        var lines = await ExportAsync(env);
        var records = Indexes(lines, "{\"sequence\":");
        var checkpoints = Indexes(lines, "{\"checkpoint\":");
        var middle = records[records.Count / 2];
        switch (edit)
        {
            case "record altered":
                lines[middle] = lines[middle].Replace("\"outcome\":\"ok\"", "\"outcome\":\"NotAccredited\"", StringComparison.Ordinal);
                break;
            case "record removed":
                lines.RemoveAt(records.First(i => !lines[i + 1].StartsWith("{\"checkpoint\":", StringComparison.Ordinal)));
                break;
            case "record before its checkpoint removed":
                lines.RemoveAt(checkpoints[^1] - 1);
                break;
            case "record appended":
                lines.Add(NextRecord(lines[records[^1]]));
                break;
            case "record altered, hashes recomputed":
                lines[middle] = lines[middle].Replace("\"outcome\":\"ok\"", "\"outcome\":\"NotAccredited\"", StringComparison.Ordinal);
                Rehash(lines, middle);
                break;
            case "checkpoint removed":
                lines.RemoveAt(checkpoints[checkpoints.Count / 2]);
                break;
            case "last checkpoint cut off":
                lines.RemoveAt(checkpoints[^1]);
                break;
            default:
                lines[checkpoints[1]] = lines[checkpoints[1]].Replace("\"time\":\"20", "\"time\":\"19", StringComparison.Ordinal);
                break;
        }

        var result = await VerifyAsync(lines, await PemOfAsync(env));

        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Problem, StringComparison.Ordinal);
        Assert.Throws<IntegrityException>(result.ThrowIfBroken);
    }

    [Fact]
    public async Task VerifyAsync_AnotherInstallationsPublicKey_FailsNamingTheKey()
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(DatabaseProvider.Sqlite, keyRequests: 1);
        await using var other = await KeyRequestEnvironment.CreateAsync(DatabaseProvider.Sqlite);

        var result = await VerifyAsync(await ExportAsync(env), await PemOfAsync(other));

        Assert.Contains("not the audit signing key", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_RangeExport_StartsAtTheChainStartLineAndRunsOnToTheCoveringCheckpoint()
    {
        // Key requests coalesced under one checkpoint (written by the flush at the end).
        await using var env = await AnchoredTrail.WithTrafficAsync(DatabaseProvider.Sqlite, keyRequests: 4,
            new Dictionary<string, string?> { ["Ttp:Audit:CheckpointIntervalMs"] = "60000" });
        List<AuditEvent> requests;
        await using (var db = env.Database.Factory.CreateDbContext())
        {
            requests = await db.AuditEvents.AsNoTracking().Where(e => e.Stream == AuditStream.KeyRequest).OrderBy(e => e.Sequence).ToListAsync();
        }

        // From the first request to (before) the third: the run goes on to the checkpoint after the fourth.
        var lines = await ExportAsync(env, requests[0].OccurredAt, requests[2].OccurredAt);
        var result = await VerifyAsync(lines, await PemOfAsync(env));

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(requests[0].Sequence, result.FirstSequence);
        Assert.Equal(requests[3].Sequence, result.LastSequence);
        Assert.Equal(requests[3].Sequence, result.LatestCheckpoint);
        using var start = JsonDocument.Parse(lines[0]);
        Assert.Equal(requests[0].Sequence - 1, start.RootElement.GetProperty("chain_start").GetProperty("sequence").GetInt64());
        Assert.StartsWith("{\"checkpoint\":", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_KeptCheckpoints_MatchedWhenReachedAndRefusedWhenSignedByAnotherKey()
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(DatabaseProvider.Sqlite, keyRequests: 2);
        var kept = AuditCheckpointJson.ParseLine((await File.ReadAllLinesAsync(AnchoredTrail.AnchorsPath(env)))[2]);
        var lines = await ExportAsync(env);
        using var key = AuditPublicKey.FromPem(await PemOfAsync(env));

        var matched = await AuditExportVerifier.VerifyAsync(new StringReader(string.Join('\n', lines)), key, [kept]);
        Assert.True(matched.IsValid, matched.Problem);
        Assert.Equal(1, matched.KeptCheckpointsMatched);

        var scalar = AuditSigningKey.GeneratePrivateScalar();
        using var stranger = AuditSigningKey.FromPrivateScalar(scalar);
        var foreign = AuditCheckpoint.Sign(stranger, kept.Position, kept.Time, kept.Previous, kept.HmacThrough);
        var refused = await AuditExportVerifier.VerifyAsync(new StringReader(string.Join('\n', lines)), key, [foreign]);
        Assert.Equal("the kept checkpoint at sequence 2 is not signed by this public key", refused.Problem);

        // A kept checkpoint of another history, signed with the TTP's own key (a rewrite by someone holding it).
        var signingKey = await env.Services.GetRequiredService<AuditSigningKeyHolder>().GetAsync();
        var rewritten = AuditCheckpoint.Sign(signingKey, new AuditChainPosition(2, SHA256.HashData([2])), kept.Time, kept.Previous, kept.HmacThrough);
        var mismatch = await AuditExportVerifier.VerifyAsync(new StringReader(string.Join('\n', lines)), key, [rewritten]);
        Assert.Equal("record 2 does not match the kept checkpoint at sequence 2: the trail was rewritten since that checkpoint", mismatch.Problem);
    }

    internal static async Task<List<string>> ExportAsync(KeyRequestEnvironment env, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        using var output = new StringWriter();
        await AuditExporter.ExportAsync(env.Database.Factory, output, AuditExportFormat.JsonLines,
            env.Services.GetRequiredService<AuditCheckpointFile>(), from, to);
        return [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static async Task<string> PemOfAsync(KeyRequestEnvironment env) =>
        (await env.Services.GetRequiredService<AuditTrailVerifier>().PublicKeyAsync()).Pem;

    // The public key alone, as the auditor holds it: PEM text.
    private static async Task<AuditExportVerificationResult> VerifyAsync(List<string> lines, string pem)
    {
        using var key = AuditPublicKey.FromPem(pem);
        return await AuditExportVerifier.VerifyAsync(new StringReader(string.Join('\n', lines) + "\n"), key);
    }

    private static List<int> Indexes(List<string> lines, string prefix) =>
        [.. lines.Select((line, i) => (line, i)).Where(x => x.line.StartsWith(prefix, StringComparison.Ordinal)).Select(x => x.i)];

    // A well-formed record after the given one, with the SHA-256 hash anyone can compute.
    internal static string NextRecord(string previousLine)
    {
        using var previous = JsonDocument.Parse(previousLine);
        var sequence = previous.RootElement.GetProperty("sequence").GetInt64() + 1;
        var record = $"{{\"sequence\":{sequence},\"occurred_at\":\"2026-12-24T00:00:00.000000Z\",\"stream\":\"StaffAction\",\"action\":\"tsm.approved\"," +
            "\"actor\":\"user:op-b@ttp.example\",\"subject\":\"tsm:mallory\",\"outcome\":\"ok\",\"details\":\"{}\",\"hash\":\"HASH\"}";
        return record.Replace("HASH", Convert.ToHexStringLower(HashOf(record, Convert.FromHexString(previous.RootElement.GetProperty("hash").GetString()!))), StringComparison.Ordinal);
    }

    // Recomputes the SHA-256 hashes of the records from the one at index on, as an attacker can.
    private static void Rehash(List<string> lines, int index)
    {
        using var before = JsonDocument.Parse(lines[Indexes(lines, "{\"sequence\":").Last(i => i < index)]);
        var previous = Convert.FromHexString(before.RootElement.GetProperty("hash").GetString()!);
        for (var i = index; i < lines.Count; i++)
        {
            if (!lines[i].StartsWith("{\"sequence\":", StringComparison.Ordinal))
            {
                continue;
            }

            using var record = JsonDocument.Parse(lines[i]);
            var old = record.RootElement.GetProperty("hash").GetString()!;
            var hash = HashOf(lines[i], previous);
            lines[i] = lines[i].Replace(old, Convert.ToHexStringLower(hash), StringComparison.Ordinal);
            previous = hash;
        }
    }

    private static byte[] HashOf(string recordLine, byte[] previous)
    {
        using var document = JsonDocument.Parse(recordLine);
        var r = document.RootElement;
        var record = new AuditEvent
        {
            Sequence = r.GetProperty("sequence").GetInt64(),
            OccurredAt = DateTimeOffset.ParseExact(r.GetProperty("occurred_at").GetString()!, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            Stream = Enum.Parse<AuditStream>(r.GetProperty("stream").GetString()!),
            Action = r.GetProperty("action").GetString()!,
            Actor = r.GetProperty("actor").GetString()!,
            Subject = r.GetProperty("subject").GetString()!,
            Outcome = r.GetProperty("outcome").GetString()!,
            Details = r.GetProperty("details").GetString()!,
        };
        return SHA256.HashData([.. previous, .. AuditHash.GetCanonicalBytes(record)]);
    }
}
