using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.IssuerKeys;

/// <summary>The key-set life cycle the portal's page drives: get, suspend, reinstate, retire (final), the last active set, damage.</summary>
public sealed class IssuerKeyLifecycleTests
{
    private static readonly Actor Officer = Actor.Staff("officer@ttp.example");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SuspendReinstateRetire_ActiveSet_StatesFollowAndEachIsAudited(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        await env.AddKeySetAsync(Iin, 1, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var keys = Keys(env);

        await keys.SuspendAsync(Iin.ToLowerInvariant(), 1, Officer);
        var suspended = await keys.GetAsync(Iin, 1);
        await keys.ReinstateAsync(Iin, 1, Officer);
        var reinstated = await keys.GetAsync(Iin, 1);
        await keys.RetireAsync(Iin, 1, Officer);
        var retired = await keys.GetAsync(Iin, 1);

        Assert.Equal(
            [IssuerKeySetState.Suspended, IssuerKeySetState.Active, IssuerKeySetState.Retired],
            [suspended.State, reinstated.State, retired.State]);
        var events = await env.Services.GetRequiredService<AuditQueries>().ForSubjectAsync(IssuerKeyService.AuditSubject(Iin, 1));
        Assert.Equal(["issuer-key.retired", "issuer-key.reinstated", "issuer-key.suspended"], events.Take(3).Select(e => e.Action));
        Assert.All(events.Take(3), e => Assert.Equal("user:officer@ttp.example", e.Actor));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reinstate_NotSuspended_RefusedAndNothingAudited(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        await env.AddKeySetAsync(Iin, 1, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        await env.AddKeySetAsync(Iin, 2, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"), activate: false);
        var keys = Keys(env);
        await keys.RetireAsync(Iin, 1, Officer);
        var before = await AuditCountAsync(env);

        var active = await Assert.ThrowsAsync<RuleViolationException>(() => keys.ReinstateAsync(Iin, 1, Officer));
        var pending = await Assert.ThrowsAsync<RuleViolationException>(() => keys.ReinstateAsync(Iin, 2, Officer));
        var again = await Assert.ThrowsAsync<RuleViolationException>(() => keys.RetireAsync(Iin, 1, Officer));
        await Assert.ThrowsAsync<NotFoundException>(() => keys.GetAsync(Iin, 9));

        Assert.Contains("only a suspended key set can be reinstated", active.Message, StringComparison.Ordinal);
        Assert.Contains("is PendingActivation", pending.Message, StringComparison.Ordinal);
        Assert.Contains("already retired", again.Message, StringComparison.Ordinal);
        Assert.Equal(IssuerKeySetState.Retired, (await keys.GetAsync(Iin, 1)).State);
        Assert.Equal(IssuerKeySetState.PendingActivation, (await keys.GetAsync(Iin, 2)).State);
        Assert.Equal(before, await AuditCountAsync(env));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task IsLastActive_OneOrTwoActiveSets_TrueOnlyForTheIssuersOnlyActiveSet(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        await env.AddKeySetAsync(Iin, 1, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        await env.AddKeySetAsync(Iin, 2, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        await env.AddKeySetAsync("A0000002", 1, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var keys = Keys(env);

        var withTwo = await keys.IsLastActiveAsync(Iin, 1);
        await keys.SuspendAsync(Iin, 2, Officer);
        var withOne = await keys.IsLastActiveAsync(Iin, 1);
        var ofSuspended = await keys.IsLastActiveAsync(Iin, 2);
        var otherIssuer = await keys.IsLastActiveAsync("A0000002", 1);

        Assert.Equal((false, true, false, true), (withTwo, withOne, ofSuspended, otherIssuer));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CheckOneSet_MethodChangedInSql_DamagedOnlyThatSet(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        await env.AddKeySetAsync(Iin, 1, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        await env.AddKeySetAsync(Iin, 2, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        Assert.Equal(1, await env.ExecuteRawAsync("UPDATE issuer_key_sets SET method = 0 WHERE kvn = 2"));
        var keys = Keys(env);
        var check = env.Services.GetRequiredService<StoredKeyCheck>();

        var intact = await check.CheckAsync(await keys.GetAsync(Iin, 1));
        var damaged = await check.CheckAsync(await keys.GetAsync(Iin, 2));

        Assert.Null(intact);
        Assert.NotNull(damaged);
        Assert.Equal($"issuer key set IIN {Iin} KVN 2", damaged.Description);
        Assert.Contains("does not open", damaged.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task StaffTimeline_ReasonGivenAndKeyRequestOnTheSameSubject_ReasonRecordedKeyRequestLeftOut(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        await env.AddKeySetAsync(Iin, 1, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var subject = IssuerKeyService.AuditSubject(Iin, 1);
        await env.Services.GetRequiredService<AuditWriter>().AppendAsync(AuditRecord.KeyRequest(Actor.Tsm("acme"), subject, AuditRecord.OutcomeOk));

        await Keys(env).SuspendAsync(Iin, 1, Officer, "  custodian left  ");

        var queries = env.Services.GetRequiredService<AuditQueries>();
        var timeline = await queries.StaffActionsForSubjectAsync(subject);
        Assert.Equal(["issuer-key.suspended", "issuer-key.activated", "issuer-key.imported"], timeline.Select(e => e.Action));
        Assert.Contains("\"custodian left\"", timeline[0].Details, StringComparison.Ordinal);
        Assert.Equal(4, (await queries.ForSubjectAsync(subject)).Count);
    }

    private static IssuerKeyService Keys(KeyRequestEnvironment env) => env.Services.GetRequiredService<IssuerKeyService>();

    private static async Task<int> AuditCountAsync(KeyRequestEnvironment env)
    {
        await using var db = env.Database.Factory.CreateDbContext();
        return db.AuditEvents.Count();
    }
}
