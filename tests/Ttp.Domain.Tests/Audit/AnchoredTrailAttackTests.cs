using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;

namespace Ttp.Domain.Tests.Audit;

/// <summary>
/// A database writer without the LMK against the anchored audit trail (SQL only, with a running key-request service):
/// a cut tail, a wipe, a wipe written over, a forged record, a deleted signing key. The chain alone says intact for the
/// first two, as it did before the checkpoints; the verification with the checkpoints names each.
/// </summary>
public sealed class AnchoredTrailAttackTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verify_UntouchedInstallation_EveryCheckpointMatchesAndNothingUncovered(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);

        var result = await AnchoredTrail.VerifyAsync(env);

        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(await AnchoredTrail.LastSequenceAsync(env), result.LastSequence);
        Assert.Equal(result.LastSequence, result.LatestCheckpoint);
        Assert.Equal(0, result.UncoveredRecords);
        Assert.Equal(0, result.HmacThrough);
        Assert.True(result.Checkpoints >= 4, $"{result.Checkpoints} checkpoints");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verify_LastRecordsDeletedAndHeadRewound_FailsNamingTheCheckpointAndWhereTheChainEnds(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        var last = await AnchoredTrail.LastSequenceAsync(env);
        var cut = last - 3;

        await env.ExecuteRawAsync($"DELETE FROM audit_events WHERE sequence > {cut}");
        await env.ExecuteRawAsync($"UPDATE audit_chain_head SET last_sequence = {cut}, last_hash = (SELECT hash FROM audit_events WHERE sequence = {cut})");

        // The chain alone is intact: what `ttpctl audit verify` said before the checkpoints.
        var key = await env.Services.GetRequiredService<AuditKeyHolder>().GetAsync();
        Assert.True((await AuditVerifier.VerifyAsync(env.Database.Factory, key)).IsValid);
        var result = await AnchoredTrail.VerifyAsync(env);
        Assert.Equal(AuditBreakReason.BehindCheckpoint, result.Reason);
        Assert.Equal(cut + 1, result.FirstBrokenSequence);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"checkpoint at sequence {last}, chain ends at {cut}: records were removed from the end"), result.Problem);
        var error = Assert.Throws<IntegrityException>(result.ThrowIfBroken);
        Assert.Contains($"checkpoint at sequence {last}, chain ends at {cut}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verify_WholeTrailDeletedAndHeadReset_FailsNamingTheWipe(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        var last = await AnchoredTrail.LastSequenceAsync(env);

        await env.ExecuteRawAsync("DELETE FROM audit_events");
        await env.ExecuteRawAsync($"UPDATE audit_chain_head SET last_sequence = 0, last_hash = {AnchoredTrail.ZeroHashSql(provider)}");

        var key = await env.Services.GetRequiredService<AuditKeyHolder>().GetAsync();
        Assert.True((await AuditVerifier.VerifyAsync(env.Database.Factory, key)).IsValid);
        var result = await AnchoredTrail.VerifyAsync(env);
        Assert.Equal(AuditBreakReason.BehindCheckpoint, result.Reason);
        Assert.Equal(1, result.FirstBrokenSequence);
        Assert.Equal($"checkpoint at sequence {last}, chain ends at 0: the whole trail was deleted", result.Problem);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verify_TrailWipedThenWrittenAgainByTheService_FirstCheckpointNoLongerMatches(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        await env.ExecuteRawAsync("DELETE FROM audit_events");
        await env.ExecuteRawAsync($"UPDATE audit_chain_head SET last_sequence = 0, last_hash = {AnchoredTrail.ZeroHashSql(provider)}");

        // The service goes on: genuine new records 1, 2, ... with the TTP's MACs, but not the checkpointed ones.
        await env.AddTsmAsync("globex", [KeyRequestTestData.Iin]);

        var result = await AnchoredTrail.VerifyAsync(env);
        Assert.Equal(AuditBreakReason.CheckpointMismatch, result.Reason);
        Assert.Equal(1, result.FirstBrokenSequence);
        Assert.StartsWith("record 1 does not match the checkpoint at sequence 1 signed ", result.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ForgedRecordAppendedInSql_NeverCheckpointedAndVerifyNamesIt(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        var forged = await AnchoredTrail.ForgeAppendAsync(env);

        // The next genuine append chains onto it; the anchor refuses to sign past the forged record.
        await env.AddTsmAsync("globex", [KeyRequestTestData.Iin]);
        var refused = await Assert.ThrowsAsync<IntegrityException>(() => env.Services.GetRequiredService<AuditAnchor>().CheckpointHeadAsync());

        Assert.Equal($"record {forged} does not carry the TTP's MAC: it was not written by the TTP, or its hash was changed", refused.Message);
        Assert.Equal(forged - 1, env.Services.GetRequiredService<AuditCheckpointFile>().ReadLatest()!.Sequence);
        var result = await AnchoredTrail.VerifyAsync(env);
        Assert.Equal(AuditBreakReason.MacMismatch, result.Reason);
        Assert.Equal(forged, result.FirstBrokenSequence);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ForgedRecordWithAnotherRecordsMac_MacMismatch(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        byte[] copied;
        await using (var db = env.Database.Factory.CreateDbContext())
        {
            copied = (await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence).FirstAsync()).Mac!;
        }

        var forged = await AnchoredTrail.ForgeAppendAsync(env, copied);

        var result = await AnchoredTrail.VerifyAsync(env);
        Assert.Equal(AuditBreakReason.MacMismatch, result.Reason);
        Assert.Equal(forged, result.FirstBrokenSequence);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SigningKey_DeletedWhileCheckpointsExist_IntegrityFailureAtStartAndVerifyNeverANewKey(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        var id = provider == DatabaseProvider.Sqlite ? $"'{SystemKey.AuditSigningKeyId.ToString().ToUpperInvariant()}'" : $"'{SystemKey.AuditSigningKeyId}'";

        Assert.Equal(1, await env.ExecuteRawAsync($"DELETE FROM system_keys WHERE id = {id}"));

        // A restarted portal, or ttpctl: start-up and verification both refuse, naming the key.
        await using var restarted = env.NewProcess();
        var atStart = await Assert.ThrowsAsync<IntegrityException>(() => DomainInitializer.InitializeAsync(restarted));
        Assert.Contains("AuditSigningKey", atStart.Message, StringComparison.Ordinal);
        Assert.Contains("holds checkpoints signed with it", atStart.Message, StringComparison.Ordinal);
        var atVerify = await Assert.ThrowsAsync<IntegrityException>(() => restarted.GetRequiredService<AuditTrailVerifier>().VerifyAsync());
        Assert.Contains("AuditSigningKey", atVerify.Message, StringComparison.Ordinal);
        await using var db = env.Database.Factory.CreateDbContext();
        Assert.False(await db.SystemKeys.AnyAsync(k => k.Id == SystemKey.AuditSigningKeyId));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AuditKey_DeletedWithTheWholeTrail_IntegrityFailureBecauseCheckpointsExist(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        var id = provider == DatabaseProvider.Sqlite ? $"'{SystemKey.AuditKeyId.ToString().ToUpperInvariant()}'" : $"'{SystemKey.AuditKeyId}'";
        await env.ExecuteRawAsync("DELETE FROM audit_events");
        await env.ExecuteRawAsync($"DELETE FROM system_keys WHERE id = {id}");

        await using var restarted = env.NewProcess();
        var error = await Assert.ThrowsAsync<IntegrityException>(() => DomainInitializer.InitializeAsync(restarted));

        Assert.Contains("AuditKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds checkpoints of the trail", error.Message, StringComparison.Ordinal);
        await using var db = env.Database.Factory.CreateDbContext();
        Assert.False(await db.SystemKeys.AnyAsync(k => k.Id == SystemKey.AuditKeyId));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Verify_HmacTransitionMovedInSql_CheckpointsDisagree(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);

        await env.ExecuteRawAsync("UPDATE audit_chain_head SET hmac_through = 3");

        var result = await AnchoredTrail.VerifyAsync(env);
        Assert.Equal(AuditBreakReason.CheckpointInvalid, result.Reason);
        Assert.Contains("records up to 3 are HMAC-chained, the signed checkpoints say up to 0", result.Problem, StringComparison.Ordinal);
    }
}
