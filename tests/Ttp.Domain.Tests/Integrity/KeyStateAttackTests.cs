using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.Integrity;

/// <summary>
/// A database writer without the LMK edits the state or version of a KEK, or the state of an issuer key set (SQL only,
/// against a running key-request service): the row fails its MAC, counts as absent and is raised once; the legitimate
/// path (a Security officer's activation or reinstatement) still delivers, and does not re-seal a row changed in SQL.
/// </summary>
public sealed class KeyStateAttackTests
{
    // The first card key of KddOpenJavaCard under Master16 (EMV CPS 1.1), as SealedAttributeTests decrypts it.
    private const string FirstCardKey = "6438A05AC377DF302423BC5E2038FB5B";
    private const string SecondKek = "00112233445566778899AABBCCDDEEFF";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_RetiredKekSetActiveInSql_RefusedAndRaisedOnce(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await SetUpAsync(env);
        var request = Request(KddOpenJavaCard, E0BasicDes);
        Assert.Equal(FirstCardKey, await FirstKeyUnderAsync(env, request, acme, Tdes2Kek));
        await env.Services.GetRequiredService<KekService>().RetireAsync("acme", 1, 1, KeyRequestEnvironment.Registrar, "compromised");
        Assert.Equal(KeyDistributionFaultCode.UnknownKek, (await RefusedAsync(env, request, acme)).Code);
        Assert.Empty(await AlarmsAsync(env));

        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE keks SET state = {(int)KekState.Active}"));

        Assert.Equal(KeyDistributionFaultCode.UnknownKek, (await RefusedAsync(env, request, acme)).Code);
        Assert.Equal(KeyDistributionFaultCode.UnknownKek, (await RefusedAsync(env, request, acme)).Code);
        var alarm = Assert.Single(await AlarmsAsync(env));
        Assert.StartsWith("KEK 1 v1 ", alarm.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(Tdes2Kek, alarm.Details, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_RetiredVersionSetActiveBesideItsSuccessor_SuccessorServesOldRaised(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await SetUpAsync(env);
        var request = Request(KddOpenJavaCard, E0BasicDes);
        await AddPendingKekAsync(env, "acme", 1, 2, SecondKek);
        await env.Services.GetRequiredService<KekService>().ActivateAsync("acme", 1, 2, KeyRequestEnvironment.Registrar);
        Assert.Equal(FirstCardKey, await FirstKeyUnderAsync(env, request, acme, SecondKek));

        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE keks SET state = {(int)KekState.Active} WHERE version = 1"));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(FirstCardKey, await FirstKeyUnderAsync(env, request, acme, SecondKek));
        }

        Assert.StartsWith("KEK 1 v1 ", Assert.Single(await AlarmsAsync(env)).Subject, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_PendingKekSetActiveInSql_RefusedUntilAnOfficerActivatesIt(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await SetUpAsync(env, withKek: false);
        var request = Request(KddOpenJavaCard, E0BasicDes);
        await AddPendingKekAsync(env, "acme", 1, 1, Tdes2Kek);
        Assert.Equal(KeyDistributionFaultCode.UnknownKek, (await RefusedAsync(env, request, acme)).Code);

        // The ceremony's KEK made active without the Security officer.
        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE keks SET state = {(int)KekState.Active}"));
        Assert.Equal(KeyDistributionFaultCode.UnknownKek, (await RefusedAsync(env, request, acme)).Code);
        Assert.Single(await AlarmsAsync(env));

        // Activation refuses to start from a row as SQL left it (it would re-seal it): here a version edited too ...
        var kekService = env.Services.GetRequiredService<KekService>();
        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE keks SET state = {(int)KekState.PendingActivation}, version = 7"));
        await Assert.ThrowsAsync<IntegrityException>(() => kekService.ActivateAsync("acme", 1, 7, KeyRequestEnvironment.Registrar));
        Assert.Contains(await AlarmsAsync(env), a => a.Subject.StartsWith("KEK 1 v7 ", StringComparison.Ordinal));
        Assert.Equal(KekState.PendingActivation, Assert.Single(await kekService.ListAsync("acme")).State);

        // ... and, the row put back (it matches its MAC again), the officer's activation delivers.
        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE keks SET state = {(int)KekState.PendingActivation}, version = 1"));
        await kekService.ActivateAsync("acme", 1, 1, KeyRequestEnvironment.Registrar);
        Assert.Equal(FirstCardKey, await FirstKeyUnderAsync(env, request, acme, Tdes2Kek));
    }

    [Theory]
    [MemberData(nameof(KekEdits))]
    public async Task GetDiversifiedKeys_KekVersionOrIndexEditedInSql_Refused(DatabaseProvider provider, string sql, int index)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await SetUpAsync(env);
        Assert.Equal(FirstCardKey, await FirstKeyUnderAsync(env, Request(KddOpenJavaCard, E0BasicDes), acme, Tdes2Kek));

        Assert.Equal(1, await env.ExecuteRawAsync(sql));

        var refused = await RefusedAsync(env, Request(KddOpenJavaCard, E0BasicDes, kekIndex: index), acme);
        Assert.Equal(KeyDistributionFaultCode.UnknownKek, refused.Code);
        Assert.Single(await AlarmsAsync(env));
    }

    public static TheoryData<DatabaseProvider, string, int> KekEdits()
    {
        var data = new TheoryData<DatabaseProvider, string, int>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            data.Add(provider, "UPDATE keks SET version = 5", 1);
            data.Add(provider, "UPDATE keks SET \"index\" = 2", 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KeySetStates))]
    public async Task GetDiversifiedKeys_KeySetSetActiveInSql_RefusedAndRaisedUntilTheLegitimatePath(DatabaseProvider provider, IssuerKeySetState state)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await SetUpAsync(env, activateKeySet: state != IssuerKeySetState.PendingActivation);
        var request = Request(KddOpenJavaCard, E0BasicDes);
        var keySets = env.Services.GetRequiredService<IssuerKeyService>();
        var officer = Actor.Staff(KeyRequestEnvironment.OperatorB);
        if (state == IssuerKeySetState.Suspended)
        {
            await keySets.SuspendAsync(Iin, 0xFF, officer);
        }
        else if (state == IssuerKeySetState.Retired)
        {
            await keySets.RetireAsync(Iin, 0xFF, officer);
        }

        Assert.Equal(KeyDistributionFaultCode.UnknownKeySet, (await RefusedAsync(env, request, acme)).Code);

        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE issuer_key_sets SET state = {(int)IssuerKeySetState.Active}"));

        // The issuer's only key set counts as absent.
        Assert.Equal(KeyDistributionFaultCode.UnknownIssuer, (await RefusedAsync(env, request, acme)).Code);
        Assert.Equal(KeyDistributionFaultCode.UnknownIssuer, (await RefusedAsync(env, request, acme)).Code);
        var alarm = Assert.Single(await AlarmsAsync(env));
        Assert.StartsWith($"issuer key set IIN {Iin} KVN 255", alarm.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(Master16, alarm.Details, StringComparison.OrdinalIgnoreCase);

        if (state == IssuerKeySetState.Retired)
        {
            // A retired key set made Suspended in SQL cannot be reinstated (which would re-seal it as Active).
            Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE issuer_key_sets SET state = {(int)IssuerKeySetState.Suspended}"));
            await Assert.ThrowsAsync<IntegrityException>(() => keySets.ReinstateAsync(Iin, 0xFF, officer));
            Assert.Equal(IssuerKeySetState.Suspended, (await keySets.GetAsync(Iin, 0xFF)).State);
            Assert.Equal(KeyDistributionFaultCode.UnknownIssuer, (await RefusedAsync(env, request, acme)).Code);
            return;
        }

        // Put back, the row matches its MAC again, and the officer's path delivers.
        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE issuer_key_sets SET state = {(int)state}"));
        await (state == IssuerKeySetState.Suspended ? keySets.ReinstateAsync(Iin, 0xFF, officer) : keySets.ActivateAsync(Iin, 0xFF, officer));
        Assert.Equal(FirstCardKey, await FirstKeyUnderAsync(env, request, acme, Tdes2Kek));
    }

    public static TheoryData<DatabaseProvider, IssuerKeySetState> KeySetStates()
    {
        var data = new TheoryData<DatabaseProvider, IssuerKeySetState>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            data.Add(provider, IssuerKeySetState.Suspended);
            data.Add(provider, IssuerKeySetState.Retired);
            data.Add(provider, IssuerKeySetState.PendingActivation);
        }

        return data;
    }

    private static async Task<KeyRequestCaller> SetUpAsync(KeyRequestEnvironment env, bool withKek = true, bool activateKeySet = true)
    {
        var acme = await env.AddTsmAsync("acme", [Iin]);
        if (withKek)
        {
            await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        }

        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"), activateKeySet);
        return acme;
    }

    // A KEK pending activation, as a ceremony's confirmation makes it (same method, audited transaction).
    private static Task<Kek> AddPendingKekAsync(KeyRequestEnvironment env, string tsm, int index, int version, string key) =>
        env.Services.GetRequiredService<AuditedTransaction>().RunAsync(async db =>
        {
            var tsmId = (await db.Tsms.SingleAsync(t => t.Name == tsm)).Id;
            var kek = await env.Services.GetRequiredService<KekService>().AddPendingAsync(
                db, tsmId, index, version, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(key, "kek"), Guid.NewGuid(), KeyRequestEnvironment.Registrar, CancellationToken.None);
            return (kek, AuditRecord.StaffAction("test.kek-pending", KeyRequestEnvironment.Registrar, $"kek:{tsm}/{index}"));
        });

    private static async Task<string> FirstKeyUnderAsync(KeyRequestEnvironment env, KeyRequest request, KeyRequestCaller caller, string kek)
    {
        var keys = (await env.KeyRequests.GetDiversifiedKeysAsync(request, caller)).Keys;
        return Hex.Encode(GpKeyEncryption.DecryptTdes(Hex.Parse(kek, "kek"), Hex.Parse(keys[0].Cryptogram!, "cryptogram")));
    }

    private static async Task<KeyRequestRefusedException> RefusedAsync(KeyRequestEnvironment env, KeyRequest request, KeyRequestCaller caller) =>
        await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(request, caller));

    private static async Task<List<AuditEvent>> AlarmsAsync(KeyRequestEnvironment env)
    {
        await using var db = env.Database.Factory.CreateDbContext();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Action == IntegrityAlarm.RecordRejectedAction).ToListAsync();
    }
}
