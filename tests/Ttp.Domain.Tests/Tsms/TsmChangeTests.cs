using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using Ttp.Domain.Tsms;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.Tsms;

/// <summary>
/// Four eyes on every change that widens a TSM's access: issuers added, a higher rate limit, a certificate added and a
/// reinstatement are proposed, have no effect until a second Operator approves, and the proposer cannot approve; narrowing
/// changes apply at once; a proposal forged in SQL is refused.
/// </summary>
public sealed class TsmChangeTests
{
    private const string NewIin = "A0000007";
    private static readonly Actor Proposer = Actor.Staff(KeyRequestEnvironment.OperatorA);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AddIssuer_ScopeDeniedUntilASecondOperatorApproves_ProposerCannot(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await ServedTsmAsync(env, NewIin);
        var request = Request(KddOpenJavaCard, E0BasicDes, iin: NewIin);

        await Tsms(env).UpdateScopeAsync("acme", [Iin, NewIin], null, Proposer);

        Assert.Equal(KeyDistributionFaultCode.ScopeDenied, (await RefusedAsync(env, request, acme)).Code);
        var change = Assert.Single(await Changes(env).ListAsync("acme"));
        Assert.Equal($"add issuers {NewIin}", change.Summary);
        var self = await Assert.ThrowsAsync<RuleViolationException>(() => Changes(env).ApproveAsync(change.Id, KeyRequestEnvironment.OperatorA, Proposer));
        Assert.Contains("a second Operator", self.Message, StringComparison.Ordinal);
        Assert.Equal(KeyDistributionFaultCode.ScopeDenied, (await RefusedAsync(env, request, acme)).Code);

        await Changes(env).ApproveAsync(change.Id, KeyRequestEnvironment.OperatorB, Actor.Staff(KeyRequestEnvironment.OperatorB));

        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, acme)).Keys.Count);
        Assert.Empty(await Changes(env).ListAsync("acme"));
        Assert.Equal(["tsm.change-approved", "tsm.scope-updated"], (await ActionsAsync(env)).Take(2));
        await Assert.ThrowsAsync<RuleViolationException>(() => Changes(env).ApproveAsync(change.Id, KeyRequestEnvironment.OperatorB, Actor.Staff(KeyRequestEnvironment.OperatorB)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RemoveIssuerAndLowerRate_ApplyAtOnceWithOneOperator(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await ServedTsmAsync(env, Iin);
        await Tsms(env).UpdateScopeAsync("acme", [Iin, NewIin], 100, Proposer);
        await env.ApprovePendingAsync("acme");

        var tsm = await Tsms(env).UpdateScopeAsync("acme", [NewIin], 5, Proposer);

        Assert.Equal([NewIin], tsm.Scope.Select(s => s.Iin));
        Assert.Equal(5, tsm.RateLimitPerSecond);
        Assert.Empty(await Changes(env).ListAsync("acme"));
        Assert.Equal(KeyDistributionFaultCode.ScopeDenied, (await RefusedAsync(env, Request(KddOpenJavaCard, E0BasicDes), acme)).Code);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RaiseRateLimit_ProposedNotApplied_ThenApprovedOrRejected(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        await ServedTsmAsync(env, Iin);

        var tsm = await Tsms(env).UpdateScopeAsync("acme", [Iin], 500, Proposer);

        Assert.Null(tsm.RateLimitPerSecond);
        var change = Assert.Single(await Changes(env).ListAsync("acme"));
        Assert.Equal("rate limit 500/s", change.Summary);
        await Changes(env).RejectAsync(change.Id, KeyRequestEnvironment.OperatorB, "not justified", Actor.Staff(KeyRequestEnvironment.OperatorB));
        Assert.Null((await Tsms(env).GetAsync("acme")).RateLimitPerSecond);

        await Tsms(env).UpdateScopeAsync("acme", [Iin], 500, Proposer);
        await env.ApprovePendingAsync("acme");
        Assert.Equal(500, (await Tsms(env).GetAsync("acme")).RateLimitPerSecond);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AddCertificate_NotPinnedUntilApproved(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        await ServedTsmAsync(env, Iin);
        var successor = TestCertificates.Create("CN=acme successor");
        var pin = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(successor));

        await Tsms(env).AddCertificateAsync("acme", successor, Proposer);
        await env.Pins.RefreshAsync();

        Assert.False(env.Pins.IsPinned(pin));
        Assert.Single((await Tsms(env).GetAsync("acme")).Certificates);
        Assert.Equal($"add certificate {pin}", Assert.Single(await Changes(env).ListAsync("acme")).Summary);

        await env.ApprovePendingAsync("acme");
        await env.Pins.RefreshAsync();

        Assert.True(env.Pins.IsPinned(pin));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reinstate_StillNotAccreditedUntilApproved(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await ServedTsmAsync(env, Iin);
        var request = Request(KddOpenJavaCard, E0BasicDes);
        await Tsms(env).SuspendAsync("acme", "audit finding", Proposer);

        await Tsms(env).ReinstateAsync("acme", "finding closed", Proposer);

        Assert.Equal(TsmState.Suspended, (await Tsms(env).GetAsync("acme")).State);
        Assert.Equal(KeyDistributionFaultCode.NotAccredited, (await RefusedAsync(env, request, acme)).Code);
        await env.ApprovePendingAsync("acme");
        Assert.Equal(TsmState.Active, (await Tsms(env).GetAsync("acme")).State);
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, acme)).Keys.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Approve_ProposalWrittenInSql_RefusedAsIntegrityFailure(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        await ServedTsmAsync(env, Iin);
        await Tsms(env).UpdateScopeAsync("acme", [Iin, NewIin], null, Proposer);
        var change = Assert.Single(await Changes(env).ListAsync("acme"));

        // A database writer widens the proposal a second Operator is about to approve.
        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE tsm_changes SET added_issuers = '{NewIin},B0000009'"));

        await Assert.ThrowsAsync<IntegrityException>(() => Changes(env).ApproveAsync(change.Id, KeyRequestEnvironment.OperatorB, Actor.Staff(KeyRequestEnvironment.OperatorB)));
        Assert.Equal([Iin], (await Tsms(env).GetAsync("acme")).Scope.Select(s => s.Iin));
        await using var db = env.Database.Factory.CreateDbContext();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == Ttp.Domain.Integrity.IntegrityAlarm.RecordRejectedAction));
    }

    private static TsmService Tsms(KeyRequestEnvironment env) => env.Services.GetRequiredService<TsmService>();

    private static TsmChangeService Changes(KeyRequestEnvironment env) => env.Services.GetRequiredService<TsmChangeService>();

    // An approved TSM "acme" with a KEK and a key set for each issuer it will be asked for.
    private static async Task<KeyRequestCaller> ServedTsmAsync(KeyRequestEnvironment env, string keySetIin)
    {
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(keySetIin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        return acme;
    }

    private static async Task<KeyRequestRefusedException> RefusedAsync(KeyRequestEnvironment env, KeyRequest request, KeyRequestCaller caller) =>
        await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(request, caller));

    private static async Task<List<string>> ActionsAsync(KeyRequestEnvironment env)
    {
        await using var db = env.Database.Factory.CreateDbContext();
        return (await db.AuditEvents.AsNoTracking().Where(e => e.Stream == Ttp.Domain.Audit.AuditStream.StaffAction).ToListAsync())
            .OrderByDescending(e => e.Sequence).Select(e => e.Action).ToList();
    }
}
