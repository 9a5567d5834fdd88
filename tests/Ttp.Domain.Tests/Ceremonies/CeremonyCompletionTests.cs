using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Crypto.KeyBlocks;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using static Ttp.Domain.Tests.Ceremonies.CeremonyEnvironment;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.Ceremonies;

/// <summary>
/// A completed ceremony yields a working key set: the published EMV CPS 1.1 vector's master key, entered as two
/// components, makes <see cref="Ttp.Domain.KeyRequests.KeyRequestService"/> deliver that vector's keys; and no component
/// is left in the database, the audit trail or the logs.
/// </summary>
public sealed class CeremonyCompletionTests
{
    // OpenJavaCard/openjavacard-tools src/test/java/org/openjavacard/gp/scp/SCPDiversificationTest.java,
    // testDiversifyEMV_0102030405060708090A: master key 40..4F, KDD 0102030405060708090A, ENC, MAC and DEK keys.
    private static readonly string[] VectorKeys = ["6438A05AC377DF302423BC5E2038FB5B", "5A9402DDABC5B9497BBECE0884929B83", "ACB4C129B3912FB782A4EAEE043BAE95"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Confirm_PublishedVectorComponents_KeySetDeliversVectorKeysAndNoComponentStored(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider, services => services.AddFakeLogging());
        var kek = Hex.Parse(Tdes2Kek, "kek");
        var caller = await env.Inner.AddTsmAsync("acme", [Iin]);
        await env.Inner.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, kek);
        var (first, second) = Split(Master16);
        Assert.NotEqual(Master16, first);

        var ceremony = await env.OpenAsync(kvn: 0xFF, components: 2, custodians: [Custodian1Email, Custodian2Email]);
        await env.EnterAsync(ceremony.Id, first, Custodian1);
        var full = await env.EnterAsync(ceremony.Id, second, Custodian2);
        Assert.Equal(CheckValue(Master16), full.FinalCheckValue);
        await Assert.ThrowsAsync<RuleViolationException>(() => env.Ceremonies.ConfirmAsync(ceremony.Id, "000000", Officer));
        var set = Assert.IsType<IssuerKeySet>((await env.Ceremonies.ConfirmAsync(ceremony.Id, CheckValue(Master16), Officer)).KeySet);

        Assert.Equal(IssuerKeySetState.PendingActivation, set.State);
        Assert.Equal(CheckValue(Master16), set.KeyCheckValue);
        Assert.Equal(((int)CeremonyState.Completed, false), await env.ReadRowAsync(ceremony.Id));
        await env.Inner.Services.GetRequiredService<IssuerKeyService>().ActivateAsync(Iin, 0xFF, Actor.Staff(KeyRequestEnvironment.OperatorB));

        var result = await env.Inner.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), caller);

        Assert.Equal(["ENC", "MAC", "DEK"], result.Keys.Select(k => k.Usage));
        for (var i = 0; i < 3; i++)
        {
            using var unwrapped = Tr31KeyBlock.Unwrap(kek, result.Keys[i].KeyBlock!);
            Assert.Equal(VectorKeys[i], Hex.Encode(unwrapped.Key));
        }

        // Split knowledge: neither component, nor the master key, anywhere a reader of the installation looks.
        var records = await CeremonyServiceTests.StaffRecordsAsync(env);
        Assert.Equal(
            ["ceremony.opened", "ceremony.component-entered", "ceremony.component-entered", "ceremony.confirmation-refused", "ceremony.completed"],
            records.Select(r => r.Action).Where(a => a.StartsWith("ceremony.", StringComparison.Ordinal)));
        Assert.Contains($"\"kcv\":\"{CheckValue(first)}\"", records.Single(r => r.Action == "ceremony.component-entered" && r.Actor == Custodian1.Id).Details, StringComparison.Ordinal);
        var dump = await env.DumpDatabaseAsync();
        Assert.Contains("ceremony_components", dump, StringComparison.Ordinal);
        var logs = string.Join('\n', env.Inner.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Select(r => r.Message));
        foreach (var secret in new[] { first, second, Master16 })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, logs, StringComparison.OrdinalIgnoreCase);
            Assert.All(records, r => Assert.DoesNotContain(secret, r.Details, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Activate_CeremonyWithKnownAnswerSample_ActivatesOnlyWhenTheSampleMatches(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        var issuerKeys = env.Inner.Services.GetRequiredService<IssuerKeyService>();
        var (first, second) = Split(Master16);
        var vectorEncKcv = CheckValue(VectorKeys[0]);
        var wrongKcv = CheckValue(VectorKeys[1]);

        foreach (var (kvn, sampleKcv) in new[] { (1, wrongKcv), (2, vectorEncKcv) })
        {
            var ceremony = await env.Ceremonies.OpenIssuerMasterKeyImportAsync(
                new IssuerKeyImport(Iin, kvn, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, KddOpenJavaCard, sampleKcv), 16, 2, null, Officer);
            Assert.Equal((KddOpenJavaCard, sampleKcv), (ceremony.SampleKdd, ceremony.SampleEncKcv));
            await env.EnterAsync(ceremony.Id, first, Custodian1);
            await env.EnterAsync(ceremony.Id, second, Custodian2);
            var set = (await env.Ceremonies.ConfirmAsync(ceremony.Id, CheckValue(Master16), Officer)).KeySet!;
            Assert.Equal((KddOpenJavaCard, sampleKcv), (set.SampleKdd, set.SampleEncKcv));
        }

        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => issuerKeys.ActivateAsync(Iin, 1, Officer));
        Assert.Contains("known-answer sample does not match", refused.Message, StringComparison.Ordinal);
        Assert.Equal(IssuerKeySetState.PendingActivation, (await issuerKeys.GetAsync(Iin, 1)).State);
        Assert.Equal(IssuerKeySetState.Active, (await issuerKeys.ActivateAsync(Iin, 2, Officer)).State);
    }
}
