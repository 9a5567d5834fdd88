using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

/// <summary>
/// The quick status the portal's integrity page shows: the chain's last record against the latest signed checkpoint,
/// naming a cut tail or a wipe made with SQL only, and an anchors file removed or altered.
/// </summary>
public sealed class AuditAnchorStatusTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AnchorStatus_UntouchedInstallation_LatestCheckpointCoversTheLastRecord(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        var last = await AnchoredTrail.LastSequenceAsync(env);

        var status = await StatusAsync(env);

        Assert.Equal(AuditAnchorState.Covered, status.State);
        Assert.False(status.IsIntegrityFailure);
        Assert.Equal(last, status.LastSequence);
        Assert.Equal(last, status.Checkpoint);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"The checkpoint at sequence {last:N0} covers the last record."), status.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AnchorStatus_LastRecordsDeletedAndHeadRewound_BehindCheckpointNamingTheGap(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        var last = await AnchoredTrail.LastSequenceAsync(env);
        var cut = last - 3;

        await env.ExecuteRawAsync($"DELETE FROM audit_events WHERE sequence > {cut}");
        await env.ExecuteRawAsync($"UPDATE audit_chain_head SET last_sequence = {cut}, last_hash = (SELECT hash FROM audit_events WHERE sequence = {cut})");
        var status = await StatusAsync(env);

        Assert.Equal(AuditAnchorState.BehindCheckpoint, status.State);
        Assert.True(status.IsIntegrityFailure);
        Assert.Equal(cut, status.LastSequence);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"checkpoint at sequence {last:N0}, chain ends at {cut:N0}: records were removed from the end"), status.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AnchorStatus_WholeTrailDeleted_BehindCheckpointNamingTheWipe(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        var last = await AnchoredTrail.LastSequenceAsync(env);

        await env.ExecuteRawAsync("DELETE FROM audit_events");
        await env.ExecuteRawAsync($"UPDATE audit_chain_head SET last_sequence = 0, last_hash = {AnchoredTrail.ZeroHashSql(provider)}");
        var status = await StatusAsync(env);

        Assert.Equal(AuditAnchorState.BehindCheckpoint, status.State);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"checkpoint at sequence {last:N0}, chain ends at 0: the whole trail was deleted"), status.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AnchorStatus_AnchorsFileDeleted_CheckpointInvalidNamingTheRecordCount(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        var last = await AnchoredTrail.LastSequenceAsync(env);

        File.Delete(AnchoredTrail.AnchorsPath(env));
        var status = await StatusAsync(env);

        Assert.Equal(AuditAnchorState.CheckpointInvalid, status.State);
        Assert.Null(status.Checkpoint);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"No checkpoint, but the chain has {last:N0} records: the anchors file was removed or emptied."), status.Text);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AnchorStatus_LatestCheckpointSequenceEdited_CheckpointInvalidNotSigned(DatabaseProvider provider)
    {
        await using var env = await AnchoredTrail.WithTrafficAsync(provider);
        var last = await AnchoredTrail.LastSequenceAsync(env);
        var path = AnchoredTrail.AnchorsPath(env);
        var lines = await File.ReadAllLinesAsync(path);
        var edited = lines[^1].Replace($"\"sequence\":{last}", $"\"sequence\":{last - 1}", StringComparison.Ordinal);
        Assert.NotEqual(lines[^1], edited);

        await File.WriteAllLinesAsync(path, [.. lines[..^1], edited]);
        var status = await StatusAsync(env);

        Assert.Equal(AuditAnchorState.CheckpointInvalid, status.State);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"The checkpoint at sequence {last - 1:N0} is not signed by the audit signing key: the anchors file was altered or replaced."), status.Text);
    }

    private static Task<AuditAnchorStatus> StatusAsync(KeyRequests.KeyRequestEnvironment env) =>
        env.Services.GetRequiredService<AuditTrailVerifier>().AnchorStatusAsync();
}
