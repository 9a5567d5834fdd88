using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.Audit;

/// <summary>
/// The anchors file and its writer: where and how it is written, what a crash leaves, the coalescing of the key-request
/// writer's checkpoints, and what a changed anchors file looks like to verification.
/// </summary>
public sealed class AuditAnchorTests
{
    [Fact]
    public async Task Initialize_NewInstallation_AnchorsDirectory0700File0600FirstCheckpointAtTheEmptyChain()
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        var file = env.Services.GetRequiredService<AuditCheckpointFile>();

        // The default: <Ttp:DataDirectory>/anchors.
        Assert.Equal("anchors", Path.GetFileName(file.Directory));
        Assert.Equal("data", Path.GetFileName(Path.GetDirectoryName(file.Directory)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(file.Directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file.Path));
        var lines = await File.ReadAllLinesAsync(file.Path);
        var first = AuditCheckpointJson.ParseLine(lines[0]);
        Assert.Equal(0, first.Sequence);
        Assert.Equal(new byte[32], first.ChainHash);
        Assert.Equal(new byte[32], first.Previous);
        await using var db = env.Database.Factory.CreateDbContext();
        var anchored = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == AuditTrailAnchoring.AnchoredAction);
        Assert.Equal(1, anchored.Sequence);
        Assert.Equal(1, AuditCheckpointJson.ParseLine(lines[1]).Sequence);
    }

    [Fact]
    public async Task AnchorsDirectory_Configured_CheckpointsWrittenThere()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ttp-anchors-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var env = await KeyRequestEnvironment.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Ttp:Audit:AnchorsDirectory"] = directory });

            var file = env.Services.GetRequiredService<AuditCheckpointFile>();
            Assert.Equal(Path.Combine(directory, AuditCheckpointFile.FileName), file.Path);
            var lines = await File.ReadAllLinesAsync(Path.Combine(directory, AuditCheckpointFile.FileName));
            Assert.Equal(await AnchoredTrail.LastSequenceAsync(env), AuditCheckpointJson.ParseLine(lines[^1]).Sequence);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CrashBetweenCommitAndCheckpoint_VerifiesWithRecordsUncoveredAndTheNextStartCoversThem(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        var key = await env.Services.GetRequiredService<AuditKeyHolder>().GetAsync();
        // Committed, then the process died before the checkpoint: the ledger alone, no anchor.
        await using (var db = env.Database.Factory.CreateDbContext())
        {
            await AuditLedger.AppendAsync(db, [AuditTestSupport.StaffRecord(1), AuditTestSupport.KeyRequestRecord(2)], key);
        }

        var before = await AnchoredTrail.VerifyAsync(env);
        Assert.True(before.IsValid, before.Problem);
        Assert.Equal(2, before.UncoveredRecords);

        await using var restarted = env.NewProcess();
        await DomainInitializer.InitializeAsync(restarted);

        var after = await AnchoredTrail.VerifyAsync(env);
        Assert.True(after.IsValid, after.Problem);
        Assert.Equal(0, after.UncoveredRecords);
        Assert.Equal(after.LastSequence, after.LatestCheckpoint);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Initialize_AnchorsFileRemovedAfterAnchoring_RefusesRatherThanAnchoringAgain(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider, keyRequests: 1);
        var path = AnchoredTrail.AnchorsPath(env);
        File.Delete(path);

        await using var restarted = env.NewProcess();
        var error = await Assert.ThrowsAsync<IntegrityException>(() => DomainInitializer.InitializeAsync(restarted));

        Assert.Contains($"The anchors file {path} holds no checkpoint although the audit trail holds records chained after record 0", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task TornLastLine_IgnoredByVerificationAndRemovedByTheNextCheckpoint()
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(DatabaseProvider.Sqlite);
        var path = AnchoredTrail.AnchorsPath(env);
        var complete = (await File.ReadAllLinesAsync(path)).Length;
        await File.AppendAllTextAsync(path, "{\"version\":1,\"sequence\":99");

        Assert.True((await AnchoredTrail.VerifyAsync(env)).IsValid);
        await env.AddTsmAsync("globex", [Iin]);

        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(complete + 2, lines.Length);
        Assert.All(lines, line => AuditCheckpointJson.ParseLine(line));
        Assert.True((await AnchoredTrail.VerifyAsync(env)).IsValid);
    }

    [Fact]
    public async Task KeyRequestBatches_WithinTheInterval_CoalescedIntoOneCheckpoint()
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Ttp:Audit:CheckpointIntervalMs"] = "60000" });
        var path = AnchoredTrail.AnchorsPath(env);
        var before = (await File.ReadAllLinesAsync(path)).Length;
        var writer = env.Services.GetRequiredService<AuditWriter>();

        for (var i = 0; i < 3; i++)
        {
            await writer.AppendAsync(AuditTestSupport.KeyRequestRecord(i));
        }

        await Task.Delay(300);
        Assert.Equal(before, (await File.ReadAllLinesAsync(path)).Length);
        var written = await AnchoredTrail.Anchor(env).FlushAsync();
        Assert.Equal(await AnchoredTrail.LastSequenceAsync(env), written!.Sequence);
        Assert.Equal(before + 1, (await File.ReadAllLinesAsync(path)).Length);
    }

    [Fact]
    public async Task KeyRequestBatch_NoInterval_CheckpointedRightAfterTheCommit()
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Ttp:Audit:CheckpointIntervalMs"] = "0" });
        var file = env.Services.GetRequiredService<AuditCheckpointFile>();

        var sequence = await env.Services.GetRequiredService<AuditWriter>().AppendAsync(AuditTestSupport.KeyRequestRecord(1));

        for (var wait = 0; wait < 100 && file.ReadLatest()!.Sequence < sequence; wait++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(sequence, file.ReadLatest()!.Sequence);
    }

    public static TheoryData<string, string> FileEdits() => new()
    {
        { "chain hash changed", "the signature of the checkpoint at sequence" },
        { "middle line removed", "does not follow the checkpoint at sequence" },
        { "first line removed", "the first checkpoint (checkpoint at sequence 1) links to one before it" },
        { "not JSON", "is not a checkpoint (not a JSON object)" },
    };

    [Theory]
    [MemberData(nameof(FileEdits))]
    public async Task Verify_AnchorsFileEdited_CheckpointInvalidNamingTheLine(string edit, string expected)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(DatabaseProvider.Sqlite);
        var path = AnchoredTrail.AnchorsPath(env);
        var lines = (await File.ReadAllLinesAsync(path)).ToList();
        switch (edit)
        {
            case "chain hash changed":
                var checkpoint = AuditCheckpointJson.ParseLine(lines[2]);
                lines[2] = lines[2].Replace(Convert.ToHexStringLower(checkpoint.ChainHash), new string('a', 64), StringComparison.Ordinal);
                break;
            case "middle line removed":
                lines.RemoveAt(2);
                break;
            case "first line removed":
                lines.RemoveAt(0);
                break;
            default:
                lines[3] = "garbage";
                break;
        }

        await File.WriteAllLinesAsync(path, lines);

        var result = await AnchoredTrail.VerifyAsync(env);
        Assert.Equal(AuditBreakReason.CheckpointInvalid, result.Reason);
        Assert.Contains(expected, result.Problem, StringComparison.Ordinal);
        Assert.Contains("of the anchors file", result.Problem, StringComparison.Ordinal);
    }
}
