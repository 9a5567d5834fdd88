using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Audit;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using static Ttp.Domain.Tests.Ceremonies.CeremonyEnvironment;

namespace Ttp.Domain.Tests.Ceremonies;

/// <summary>The rules of <see cref="CeremonyService"/>: dual control, split knowledge, expiry, abort, concurrency.</summary>
public sealed class CeremonyServiceTests
{
    private const string ComponentA = "00112233445566778899AABBCCDDEEFF";
    private const string ComponentB = "0F1E2D3C4B5A69788796A5B4C3D2E1F0";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EnterComponent_SamePersonTwice_Refused(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        var ceremony = await env.OpenAsync();
        await env.EnterAsync(ceremony.Id, ComponentA, Custodian1);

        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => env.EnterAsync(ceremony.Id, ComponentB, Custodian1));

        Assert.Contains("already holds a component", refused.Message, StringComparison.Ordinal);
        var row = await env.Ceremonies.GetAsync(ceremony.Id);
        Assert.Equal(1, row!.ComponentsReceived);
        Assert.Equal(CeremonyState.CollectingComponents, row.State);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EnterComponent_ByOpener_Refused(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        var ceremony = await env.OpenAsync();

        // The officer is also a Key custodian: only the opener rule refuses them.
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => env.EnterAsync(ceremony.Id, ComponentA, Officer));

        Assert.Contains("opened the ceremony", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await env.Ceremonies.GetAsync(ceremony.Id))!.ComponentsReceived);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EnterComponent_NotKeyCustodianOrNotNamed_Refused(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        var ceremony = await env.OpenAsync(custodians: [Custodian1Email, Custodian2Email]);

        var operatorRefused = await Assert.ThrowsAsync<RuleViolationException>(() => env.EnterAsync(ceremony.Id, ComponentA, KeyRequestEnvironment.Registrar));
        var unnamedRefused = await Assert.ThrowsAsync<RuleViolationException>(() => env.EnterAsync(ceremony.Id, ComponentA, Custodian3));
        var openRefused = await Assert.ThrowsAsync<RuleViolationException>(() => env.Ceremonies.OpenIssuerMasterKeyImportAsync(
            new IssuerKeyImport(KeyRequestTestData.Iin, 1, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11),
            16, 2, null, Custodian1));

        Assert.Contains("not an active KeyCustodian", operatorRefused.Message, StringComparison.Ordinal);
        Assert.Contains("not one of the ceremony's named custodians", unnamedRefused.Message, StringComparison.Ordinal);
        Assert.Contains("not an active SecurityOfficer", openRefused.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await env.Ceremonies.GetAsync(ceremony.Id))!.ComponentsReceived);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EnterComponent_WrongCheckValue_RefusedAuditedWithoutComponent(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        var ceremony = await env.OpenAsync();
        var component = Hex.Parse(ComponentA, "component");

        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => env.Ceremonies.EnterComponentAsync(ceremony.Id, component, "000000", Custodian1));

        Assert.Contains("check value does not match", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ComponentA, refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.All(component, b => Assert.Equal(0, b));
        var record = (await StaffRecordsAsync(env))[^1];
        Assert.Equal("ceremony.component-refused", record.Action);
        Assert.Equal("refused", record.Outcome);
        Assert.Equal(Custodian1.Id, record.Actor);
        Assert.Contains("\"number\":1", record.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(ComponentA, record.Details, StringComparison.OrdinalIgnoreCase);
        var (state, hasEnvelope) = await env.ReadRowAsync(ceremony.Id);
        Assert.Equal((int)CeremonyState.Open, state);
        Assert.False(hasEnvelope);

        // The custodian may try again with the right value: the refusal holds nothing against them.
        Assert.Equal(1, (await env.EnterAsync(ceremony.Id, ComponentA, Custodian1)).ComponentsReceived);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Abort_AfterOneComponent_NoEnvelopeLeftAndNoStepAccepted(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        var ceremony = await env.OpenAsync();
        await env.EnterAsync(ceremony.Id, ComponentA, Custodian1);
        Assert.True((await env.ReadRowAsync(ceremony.Id)).HasEnvelope);

        await Assert.ThrowsAsync<RuleViolationException>(() => env.Ceremonies.AbortAsync(ceremony.Id, "test", Custodian2));
        var aborted = await env.Ceremonies.AbortAsync(ceremony.Id, "custodian unavailable", Officer);

        Assert.Equal(CeremonyState.Aborted, aborted.State);
        Assert.Equal(((int)CeremonyState.Aborted, false), await env.ReadRowAsync(ceremony.Id));
        await Assert.ThrowsAsync<RuleViolationException>(() => env.EnterAsync(ceremony.Id, ComponentB, Custodian2));
        Assert.Equal("ceremony.aborted", (await StaffRecordsAsync(env))[^1].Action);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EnterComponent_AfterExpiry_ExpiredWithoutEnvelopeAndRefused(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await CeremonyEnvironment.CreateAsync(provider, services => services.AddSingleton<TimeProvider>(clock));
        var ceremony = await env.OpenAsync();
        await env.EnterAsync(ceremony.Id, ComponentA, Custodian1);

        clock.Advance(TimeSpan.FromMinutes(61));
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => env.EnterAsync(ceremony.Id, ComponentB, Custodian2));

        Assert.Contains("expired", refused.Message, StringComparison.Ordinal);
        Assert.Equal(((int)CeremonyState.Expired, false), await env.ReadRowAsync(ceremony.Id));
        var record = (await StaffRecordsAsync(env))[^1];
        Assert.Equal("ceremony.expired", record.Action);
        Assert.Equal("system", record.Actor);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ExpireOverdue_PastExpiry_ExpiresOnlyOverdueAndRemovesEnvelope(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await CeremonyEnvironment.CreateAsync(provider, services => services.AddSingleton<TimeProvider>(clock));
        var old = await env.OpenAsync(kvn: 1);
        await env.EnterAsync(old.Id, ComponentA, Custodian1);
        clock.Advance(TimeSpan.FromMinutes(30));
        var young = await env.OpenAsync(kvn: 2);
        await env.EnterAsync(young.Id, ComponentA, Custodian1);
        clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(1, await env.Ceremonies.ExpireOverdueAsync());

        Assert.Equal(((int)CeremonyState.Expired, false), await env.ReadRowAsync(old.Id));
        Assert.Equal(((int)CeremonyState.CollectingComponents, true), await env.ReadRowAsync(young.Id));
        Assert.Equal(0, await env.Ceremonies.ExpireOverdueAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EnterComponent_SameKeyInSecondCeremony_RefusedForFormerHolder(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        var first = await env.OpenAsync();
        await env.EnterAsync(first.Id, ComponentA, Custodian1);
        await env.Ceremonies.AbortAsync(first.Id, "restart", Officer);
        var second = await env.OpenAsync();

        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => env.EnterAsync(second.Id, ComponentB, Custodian1));

        Assert.Contains("already holds a component of issuer key A0000001/255", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await env.EnterAsync(second.Id, ComponentB, Custodian2)).ComponentsReceived);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EnterComponent_ConcurrentDoubleSubmission_OneAcceptedOneRefused(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        var ceremony = await env.OpenAsync(components: 3);

        var results = await Task.WhenAll(
            Attempt(() => env.EnterAsync(ceremony.Id, ComponentA, Custodian1)),
            Attempt(() => env.EnterAsync(ceremony.Id, ComponentA, Custodian1)));

        Assert.Equal(1, results.Count(r => r is null));
        Assert.IsType<RuleViolationException>(Assert.Single(results, r => r is not null));
        var row = await env.Ceremonies.GetAsync(ceremony.Id);
        Assert.Equal(1, row!.ComponentsReceived);
        Assert.Equal(1, row.Version);
        Assert.Single(await StaffRecordsAsync(env), r => r.Action == "ceremony.component-entered");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Confirm_ConcurrentDoubleConfirmation_OneKeySetOneRefusal(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        var ceremony = await env.OpenAsync();
        await env.EnterAsync(ceremony.Id, ComponentA, Custodian1);
        var full = await env.EnterAsync(ceremony.Id, ComponentB, Custodian2);
        var key = Hex.Encode(Hex.Parse(ComponentA, "a").Zip(Hex.Parse(ComponentB, "b"), (a, b) => (byte)(a ^ b)).ToArray());
        Assert.Equal(CeremonyState.AwaitingConfirmation, full.State);
        Assert.Equal(CheckValue(key), full.FinalCheckValue);

        var results = await Task.WhenAll(
            Attempt(() => env.Ceremonies.ConfirmAsync(ceremony.Id, CheckValue(key), Officer)),
            Attempt(() => env.Ceremonies.ConfirmAsync(ceremony.Id, CheckValue(key), Officer)));

        Assert.Equal(1, results.Count(r => r is null));
        Assert.IsType<RuleViolationException>(Assert.Single(results, r => r is not null));
        Assert.Equal(((int)CeremonyState.Completed, false), await env.ReadRowAsync(ceremony.Id));
        await using var db = env.Inner.Database.Factory.CreateDbContext();
        Assert.Equal(1, await db.IssuerKeySets.CountAsync());
    }

    private static async Task<Exception?> Attempt(Func<Task> step)
    {
        try
        {
            await step();
            return null;
        }
        catch (DomainException e)
        {
            return e;
        }
    }

    internal static async Task<IReadOnlyList<AuditEvent>> StaffRecordsAsync(CeremonyEnvironment env)
    {
        await using var db = env.Inner.Database.Factory.CreateDbContext();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Stream == AuditStream.StaffAction).OrderBy(e => e.Sequence).ToListAsync();
    }
}
