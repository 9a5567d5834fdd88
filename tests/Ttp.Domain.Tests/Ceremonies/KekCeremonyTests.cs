using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Crypto.KeyBlocks;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using static Ttp.Domain.Tests.Ceremonies.CeremonyEnvironment;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.Ceremonies;

/// <summary>
/// KEK ceremonies: a generated KEK handed out in components, each shown once, whose XOR unwraps what the TSM then
/// receives; an imported KEK rotating an index (a later version, the earlier retired on activation). Expected check values
/// are computed with the BCL's AES and TDES, not with the code under test.
/// </summary>
public sealed class KekCeremonyTests
{
    // The EMV CPS 1.1 vector of CeremonyCompletionTests (OpenJavaCard SCPDiversificationTest, master key 40..4F, KDD
    // 0102030405060708090A): ENC, MAC and DEK keys.
    private static readonly string[] VectorKeys = ["6438A05AC377DF302423BC5E2038FB5B", "5A9402DDABC5B9497BBECE0884929B83", "ACB4C129B3912FB782A4EAEE043BAE95"];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GenerateKek_ThreeCustodians_EachComponentOnceAndRequestsUnwrapWithTheirXor(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider, services => services.AddFakeLogging());
        var caller = await env.Inner.AddTsmAsync("acme", [Iin]);
        await env.Inner.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "master"));

        var ceremony = await env.Ceremonies.OpenKekAsync(new KekCeremonyRequest(CeremonyKind.GenerateKek, "acme", 1, KekAlgorithm.Aes128, KekFormat.Tr31, 3), null, Officer);
        Assert.Equal("KEK acme/1", ceremony.Label);
        Assert.NotNull(ceremony.FinalCheckValue);

        var components = new List<byte[]>();
        foreach (var custodian in new[] { Custodian1, Custodian2, Custodian3 })
        {
            using var received = await env.Ceremonies.ReceiveComponentAsync(ceremony.Id, custodian);
            Assert.Equal(components.Count + 1, received.Number);
            Assert.Equal(3, received.Of);
            Assert.Equal(ceremony.FinalCheckValue, received.FinalCheckValue);
            Assert.Equal(AesKcv(received.Component), received.CheckValue);
            components.Add((byte[])received.Component.Clone());
        }

        Assert.Equal(3, components.Select(Convert.ToHexString).Distinct().Count());
        var kek = components.Aggregate(new byte[16], (acc, c) => acc.Zip(c, (a, b) => (byte)(a ^ b)).ToArray());
        Assert.Equal(AesKcv(kek), ceremony.FinalCheckValue);

        // Shown once: no second reception, for a holder or anyone else, and no step shows it again.
        await Assert.ThrowsAsync<RuleViolationException>(() => env.Ceremonies.ReceiveComponentAsync(ceremony.Id, Custodian1));
        await Assert.ThrowsAsync<RuleViolationException>(() => env.Ceremonies.EnterComponentAsync(ceremony.Id, new byte[16], "000000", Custodian1));

        var unacknowledged = await Assert.ThrowsAsync<RuleViolationException>(() => env.Ceremonies.ConfirmAsync(ceremony.Id, AesKcv(kek), Officer));
        Assert.Contains("component 1 has not been acknowledged", unacknowledged.Message, StringComparison.Ordinal);
        foreach (var custodian in new[] { Custodian1, Custodian2, Custodian3 })
        {
            await env.Ceremonies.AcknowledgeComponentAsync(ceremony.Id, custodian);
        }

        await Assert.ThrowsAsync<RuleViolationException>(() => env.Ceremonies.AcknowledgeComponentAsync(ceremony.Id, Custodian1));
        await Assert.ThrowsAsync<RuleViolationException>(() => env.Ceremonies.ConfirmAsync(ceremony.Id, "000000", Officer));
        var outcome = await env.Ceremonies.ConfirmAsync(ceremony.Id, AesKcv(kek), Officer);
        var pending = Assert.IsType<Kek>(outcome.Kek);
        Assert.Equal((KekState.PendingActivation, 1, ceremony.Id, AesKcv(kek)), (pending.State, pending.Version, pending.CeremonyId!.Value, pending.KeyCheckValue));
        Assert.Equal(((int)CeremonyState.Completed, false), await env.ReadRowAsync(ceremony.Id));

        var beforeActivation = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.Inner.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), caller));
        Assert.Equal(KeyDistributionFaultCode.UnknownKek, beforeActivation.Code);
        await env.Inner.Services.GetRequiredService<KekService>().ActivateAsync("acme", 1, 1, Officer);

        var result = await env.Inner.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), caller);
        Assert.Equal(AesKcv(kek), result.KekCheckValue);
        for (var i = 0; i < 3; i++)
        {
            using var unwrapped = Tr31KeyBlock.Unwrap(kek, result.Keys[i].KeyBlock!);
            Assert.Equal(VectorKeys[i], Hex.Encode(unwrapped.Key));
        }

        var records = await CeremonyServiceTests.StaffRecordsAsync(env);
        Assert.Equal(
            ["ceremony.opened", "ceremony.component-received", "ceremony.component-received", "ceremony.component-received", "ceremony.component-acknowledged",
                "ceremony.component-acknowledged", "ceremony.component-acknowledged", "ceremony.confirmation-refused", "ceremony.completed"],
            records.Select(r => r.Action).Where(a => a.StartsWith("ceremony.", StringComparison.Ordinal)));
        var dump = await env.DumpDatabaseAsync();
        var logs = string.Join('\n', env.Inner.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Select(r => r.Message));
        foreach (var secret in components.Append(kek).Select(Convert.ToHexString))
        {
            Assert.DoesNotContain(secret, dump, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, logs, StringComparison.OrdinalIgnoreCase);
            Assert.All(records, r => Assert.DoesNotContain(secret, r.Details, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ImportKek_IndexWithActiveKek_RotatesToVersionTwoAndActivationRetiresVersionOne(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        var caller = await env.Inner.AddTsmAsync("acme", [Iin]);
        await env.Inner.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "master"));
        var oldKek = Hex.Parse(Tdes2Kek, "kek");
        await env.Inner.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, oldKek);
        var newKek = Hex.Parse(Aes128Kek, "kek");
        var mask = Hex.Parse("0F1E2D3C4B5A69788796A5B4C3D2E1F0", "mask");
        var first = newKek.Zip(mask, (a, b) => (byte)(a ^ b)).ToArray();

        var ceremony = await env.Ceremonies.OpenKekAsync(new KekCeremonyRequest(CeremonyKind.ImportKek, "acme", 1, KekAlgorithm.Aes128, KekFormat.Tr31, 2), [Custodian1Email, Custodian2Email], Officer);
        Assert.Equal(("KEK acme/1 v2", 2), (ceremony.Label, ceremony.KekVersion!.Value));
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => env.Ceremonies.EnterComponentAsync(ceremony.Id, (byte[])first.Clone(), AesKcv(mask), Custodian1));
        Assert.Contains("check value does not match", refused.Message, StringComparison.Ordinal);
        await env.Ceremonies.EnterComponentAsync(ceremony.Id, (byte[])first.Clone(), AesKcv(first), Custodian1);
        var full = await env.Ceremonies.EnterComponentAsync(ceremony.Id, (byte[])mask.Clone(), AesKcv(mask), Custodian2);
        Assert.Equal(AesKcv(newKek), full.FinalCheckValue);
        var pending = (await env.Ceremonies.ConfirmAsync(ceremony.Id, AesKcv(newKek), Officer)).Kek!;

        // Pending: the index still names version 1, and no other ceremony for it opens until version 2 is decided.
        var rotateAgain = await Assert.ThrowsAsync<RuleViolationException>(() =>
            env.Ceremonies.OpenKekAsync(new KekCeremonyRequest(CeremonyKind.GenerateKek, "acme", 1, KekAlgorithm.Aes128, KekFormat.Tr31, 2), null, Officer));
        Assert.Contains("pending activation", rotateAgain.Message, StringComparison.Ordinal);
        Assert.Equal(DesKcv(oldKek), (await env.Inner.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), caller)).KekCheckValue);

        var keks = env.Inner.Services.GetRequiredService<KekService>();
        await keks.ActivateAsync("acme", 1, pending.Version, Officer);

        Assert.Equal(
            [(1, KekState.Retired, DesKcv(oldKek)), (2, KekState.Active, AesKcv(newKek))],
            (await keks.ListAsync("acme")).Select(k => (k.Version, k.State, k.KeyCheckValue)));
        var result = await env.Inner.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), caller);
        Assert.Equal(AesKcv(newKek), result.KekCheckValue);
        using var enc = Tr31KeyBlock.Unwrap(newKek, result.Keys[0].KeyBlock!);
        Assert.Equal(VectorKeys[0], Hex.Encode(enc.Key));
        await Assert.ThrowsAsync<RuleViolationException>(() => keks.ActivateAsync("acme", 1, 2, Officer));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ReceiveComponent_ConcurrentDoubleSubmission_OneHandedOutOneRefused(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        await env.Inner.AddTsmAsync("acme", [Iin]);
        var ceremony = await env.Ceremonies.OpenKekAsync(new KekCeremonyRequest(CeremonyKind.GenerateKek, "acme", 2, KekAlgorithm.Tdes2, KekFormat.Tr31, 3), null, Officer);

        var attempts = await Task.WhenAll(Attempt(ceremony.Id, env), Attempt(ceremony.Id, env));

        Assert.Single(attempts, a => a.Received is not null);
        Assert.IsType<RuleViolationException>(Assert.Single(attempts, a => a.Error is not null).Error);
        var row = await env.Ceremonies.GetAsync(ceremony.Id);
        Assert.Equal((1, CeremonyState.CollectingComponents), (row!.ComponentsReceived, row.State));
        Assert.Single(await CeremonyServiceTests.StaffRecordsAsync(env), r => r.Action == "ceremony.component-received");
        foreach (var attempt in attempts)
        {
            attempt.Received?.Dispose();
        }

        static async Task<(ReceivedComponent? Received, Exception? Error)> Attempt(Guid id, CeremonyEnvironment env)
        {
            try
            {
                return (await env.Ceremonies.ReceiveComponentAsync(id, Custodian1), null);
            }
            catch (DomainException e)
            {
                return (null, e);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Abort_GeneratedAfterOneComponent_NoEnvelopeNoKekAndNoMoreComponents(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        await env.Inner.AddTsmAsync("acme", [Iin]);
        var ceremony = await env.Ceremonies.OpenKekAsync(new KekCeremonyRequest(CeremonyKind.GenerateKek, "acme", 1, KekAlgorithm.Aes256, KekFormat.Tr31, 2), null, Officer);
        Assert.Equal(((int)CeremonyState.Open, true), await env.ReadRowAsync(ceremony.Id));
        using (var received = await env.Ceremonies.ReceiveComponentAsync(ceremony.Id, Custodian1))
        {
            Assert.Equal(32, received.Component.Length);
        }

        await env.Ceremonies.AbortAsync(ceremony.Id, "custodian 1 lost the sheet", Officer);

        Assert.Equal(((int)CeremonyState.Aborted, false), await env.ReadRowAsync(ceremony.Id));
        await Assert.ThrowsAsync<RuleViolationException>(() => env.Ceremonies.ReceiveComponentAsync(ceremony.Id, Custodian2));
        await Assert.ThrowsAsync<RuleViolationException>(() => env.Ceremonies.ConfirmAsync(ceremony.Id, "000000", Officer));
        Assert.Empty(await env.Inner.Services.GetRequiredService<KekService>().ListAsync("acme"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EligibilityAndTasks_ByRule_MatchWhatTheServiceAccepts(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        await env.Inner.AddTsmAsync("acme", [Iin]);
        var queries = env.Inner.Services.GetRequiredService<CeremonyQueries>();
        var ceremony = await env.Ceremonies.OpenKekAsync(new KekCeremonyRequest(CeremonyKind.GenerateKek, "acme", 1, KekAlgorithm.Aes128, KekFormat.Tr31, 2), [Custodian1Email, Custodian2Email], Officer);

        Assert.Contains("opened the ceremony", (await queries.EligibilityAsync(ceremony.Id, Officer)).Reason, StringComparison.Ordinal);
        Assert.Contains("not one of the ceremony's named custodians", (await queries.EligibilityAsync(ceremony.Id, Custodian3)).Reason, StringComparison.Ordinal);
        Assert.Equal(new CeremonyEligibility(true, null), await queries.EligibilityAsync(ceremony.Id, Custodian1));
        Assert.Empty(await queries.TasksForAsync(Custodian3));
        Assert.Equal([ceremony.Id], (await queries.TasksForAsync(Custodian1)).Select(t => t.Id));

        (await env.Ceremonies.ReceiveComponentAsync(ceremony.Id, Custodian1)).Dispose();

        Assert.Contains("already holds a component", (await queries.EligibilityAsync(ceremony.Id, Custodian1)).Reason, StringComparison.Ordinal);
        Assert.Equal([ceremony.Id], (await queries.TasksForAsync(Custodian1)).Select(t => t.Id));
        await env.Ceremonies.AcknowledgeComponentAsync(ceremony.Id, Custodian1);
        Assert.Empty(await queries.TasksForAsync(Custodian1));
        Assert.Equal([ceremony.Id], (await queries.TasksForAsync(Custodian2)).Select(t => t.Id));
    }

    private static string AesKcv(byte[] key)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToHexString(aes.EncryptEcb(Enumerable.Repeat((byte)0x01, 16).ToArray(), PaddingMode.None), 0, 3);
    }

    private static string DesKcv(byte[] key)
    {
#pragma warning disable CA5350 // A TDES KEK's check value is TDES by definition.
        using var des = TripleDES.Create();
#pragma warning restore CA5350
        des.Key = key.Length == 16 ? [.. key, .. key.AsSpan(0, 8)] : key;
        return Convert.ToHexString(des.EncryptEcb(new byte[8], PaddingMode.None), 0, 3);
    }
}
