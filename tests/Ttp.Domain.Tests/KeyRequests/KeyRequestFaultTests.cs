using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tsms;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.KeyRequests;

/// <summary>Every fault code of <see cref="KeyRequestService"/>, and the audit records of refusals.</summary>
public sealed class KeyRequestFaultTests
{
    private static readonly Actor Staff = Actor.Staff(KeyRequestEnvironment.OperatorA);

    public static TheoryData<string, KeyRequest, string> InvalidRequests()
    {
        var several = Hex.Encode(BerTlv.EncodeConstructed(0xE0, BerTlv.Encode(0xC0, [1, 0xFF, 0x80, 0x10]), BerTlv.Encode(0xC0, [1, 0x01, 0x88, 0x10])));
        var ok = Request(KddOpenJavaCard, E0BasicDes);
        return new TheoryData<string, KeyRequest, string>
        {
            { "KDD odd length", ok with { KeyDiversificationData = "0102030405060708090" }, "KeyDiversificationData" },
            { "KDD not hex", ok with { KeyDiversificationData = "0102030405060708090G" }, "KeyDiversificationData" },
            { "KDD with spaces", ok with { KeyDiversificationData = "01 02030405060708090A" }, "KeyDiversificationData" },
            { "KDD 9 bytes", ok with { KeyDiversificationData = "010203040506070809" }, "KeyDiversificationData" },
            { "KDD 11 bytes", ok with { KeyDiversificationData = "0102030405060708090A0B" }, "KeyDiversificationData" },
            { "KDD missing", ok with { KeyDiversificationData = null }, "KeyDiversificationData" },
            { "E0 garbage", ok with { KeyInformationTemplate = "DEADBEEF" }, "KeyInformationTemplate" },
            { "E0 truncated", ok with { KeyInformationTemplate = E0BasicDes[..^4] }, "KeyInformationTemplate" },
            { "E0 trailing byte", ok with { KeyInformationTemplate = E0BasicDes + "00" }, "KeyInformationTemplate" },
            { "E0 odd length", ok with { KeyInformationTemplate = E0BasicDes + "0" }, "KeyInformationTemplate" },
            { "E0 missing", ok with { KeyInformationTemplate = null }, "KeyInformationTemplate" },
            { "E0 several KVNs, none chosen", ok with { KeyInformationTemplate = several }, "KeyVersionNumber" },
            { "KVN not in E0", ok with { KeyVersionNumber = 5 }, "KeyVersionNumber" },
            { "KVN negative", ok with { KeyVersionNumber = -1 }, "KeyVersionNumber" },
            { "IIN odd length", ok with { IssuerIdentificationNumber = "A00000010" }, "IssuerIdentificationNumber" },
            { "IIN not hex", ok with { IssuerIdentificationNumber = "A000000X" }, "IssuerIdentificationNumber" },
            { "IIN missing", ok with { IssuerIdentificationNumber = null }, "IssuerIdentificationNumber" },
            { "C1 four bytes", ok with { SequenceCounter = "00000001" }, "SequenceCounter" },
            { "C1 not hex", ok with { SequenceCounter = "00G1" }, "SequenceCounter" },
            { "CIN not hex", ok with { CardImageNumber = "00ZZ" }, "CardImageNumber" },
            { "KEK index missing", ok with { KekIndex = null }, "KekIndex" },
            { "KEK index zero", ok with { KekIndex = 0 }, "KekIndex" },
            { "KEK index negative", ok with { KekIndex = -1 }, "KekIndex" },
            { "KEK index huge", ok with { KekIndex = int.MaxValue }, "KekIndex" },
            { "KEK index 256", ok with { KekIndex = 256 }, "KekIndex" },
            { "SD manager URL of another server", ok with { SecurityDomainManagerUrl = "https://other.example/soap/v1" }, "SecurityDomainManagerUrl" },
            { "E0 says AES for an SCP02 key set", ok with { KeyInformationTemplate = E0(0xFF, 0x88, 16) }, "KeyInformationTemplate" },
            { "E0 says 24-byte DES for an SCP02 key set", ok with { KeyInformationTemplate = E0(0xFF, 0x80, 24) }, "KeyInformationTemplate" },
        };
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_InvalidRequests_InvalidRequestAuditedForPinnedCaller(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider, new Dictionary<string, string?> { ["Ttp:Soap:PublicUrl"] = "https://ttp.example/soap/v1" });
        var caller = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var cases = InvalidRequests();

        foreach (var row in cases)
        {
            var (name, request, field) = ((string)row[0], (KeyRequest)row[1], (string)row[2]);
            var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(request, caller));
            Assert.True(refused.Code == KeyDistributionFaultCode.InvalidRequest, $"{name}: {refused.Code} {refused.Message}");
            Assert.True(refused.Message.StartsWith(field, StringComparison.Ordinal), $"{name}: '{refused.Message}' should name {field}");
            Assert.NotEqual(Guid.Empty, refused.RequestId);
        }

        var records = await env.KeyRequestRecordsAsync();
        Assert.Equal(cases.Count, records.Count);
        Assert.All(records, r =>
        {
            Assert.Equal("InvalidRequest", r.Outcome);
            Assert.Equal("tsm:acme", r.Actor);
            Assert.DoesNotContain(Master16, r.Details, StringComparison.OrdinalIgnoreCase);
        });

        // The same request, valid, is delivered.
        var result = await env.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), caller);
        Assert.Equal(3, result.Keys.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_CallerNotAccredited_NotAccredited(DatabaseProvider provider)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await KeyRequestEnvironment.CreateAsync(provider, configure: services => services.AddSingleton<TimeProvider>(clock));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var request = Request(KddOpenJavaCard, E0BasicDes);
        async Task<KeyRequestCaller> TsmWithKekAsync(string name, bool approve = true)
        {
            var caller = await env.AddTsmAsync(name, [Iin], approve);
            await env.AddKekAsync(name, 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
            return caller;
        }

        var active = await TsmWithKekAsync("active");
        var pending = await TsmWithKekAsync("pending", approve: false);
        var suspended = await TsmWithKekAsync("suspended");
        var revoked = await TsmWithKekAsync("revoked");
        var retired = await TsmWithKekAsync("retired");
        var tsms = env.Services.GetService(typeof(TsmService)) as TsmService;
        await tsms!.SuspendAsync("suspended", "audit finding", Staff);
        await tsms.RevokeAsync("revoked", "contract ended", Staff);
        await tsms.AddCertificateAsync("retired", Tsms.TestCertificates.Create("CN=retired successor"), Staff);
        await env.ApprovePendingAsync("retired");
        await tsms.RetireCertificateAsync("retired", retired.CertificateSha256Thumbprint, clock.GetUtcNow().AddHours(1), Staff);
        clock.Advance(TimeSpan.FromHours(2));

        var unknown = new KeyRequestCaller(Hex.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), DateTimeOffset.UtcNow.AddDays(1), "192.0.2.99");
        var malformed = new KeyRequestCaller("not-a-thumbprint", DateTimeOffset.UtcNow.AddDays(1), null);
        var expired = active with { CertificateNotAfter = DateTimeOffset.UtcNow.AddMinutes(-1) };
        foreach (var caller in new[] { unknown, malformed, pending, suspended, revoked, retired, expired })
        {
            var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(request, caller));
            Assert.Equal(KeyDistributionFaultCode.NotAccredited, refused.Code);
        }

        // Identified TSMs are audited; a certificate that belongs to nobody has no actor to record.
        var records = await env.KeyRequestRecordsAsync();
        Assert.Equal(["tsm:active", "tsm:pending", "tsm:retired", "tsm:revoked", "tsm:suspended"], records.Select(r => r.Actor).Order());
        Assert.All(records, r => Assert.Equal("NotAccredited", r.Outcome));

        // The accredited TSM with its current certificate is served.
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, active)).Keys.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_ScopeIssuerKeySetKek_EachFaultAudited(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await env.AddTsmAsync("acme", [Iin, "A0000002"]);
        var other = await env.AddTsmAsync("other", [Iin]);
        var noScope = await env.AddTsmAsync("noscope", []);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKekAsync("acme", 2, KekAlgorithm.Aes128, KekFormat.Tr31, Hex.Parse(Aes128Kek, "kek"));
        await env.AddKekAsync("acme", 3, KekAlgorithm.Tdes3, KekFormat.GpEncrypted, Hex.Parse(Tdes3Kek, "kek"));
        await env.AddKekAsync("acme", 4, KekAlgorithm.Aes256, KekFormat.Tr31, Hex.Parse(Aes256Kek, "kek"));
        await env.AddKekAsync("other", 7, KekAlgorithm.Aes256, KekFormat.Tr31, Hex.Parse(Aes256Kek, "kek"));
        await env.AddKekAsync("noscope", 1, KekAlgorithm.Aes256, KekFormat.Tr31, Hex.Parse(Aes256Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        await env.AddKeySetAsync(Iin, 0x01, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, Hex.Parse(Master32, "m"));
        await env.AddKeySetAsync(Iin, 0x05, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, Hex.Parse(Master32, "m"), activate: false);
        await env.AddKeySetAsync(Iin, 0x06, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, Hex.Parse(Master16, "m"));

        var cases = new (string Name, KeyRequestCaller Caller, KeyRequest Request, KeyDistributionFaultCode Code)[]
        {
            ("issuer outside scope", acme, Request(KddGpPro, E0BasicDes, iin: "A0000003"), KeyDistributionFaultCode.ScopeDenied),
            ("empty scope", noScope, Request(KddGpPro, E0BasicDes), KeyDistributionFaultCode.ScopeDenied),
            ("issuer in scope without key sets", acme, Request(KddGpPro, E0BasicDes, iin: "A0000002"), KeyDistributionFaultCode.UnknownIssuer),
            ("key set pending activation", acme, Request(KddGpPro, E0(0x05, 0x88, 32), kekIndex: 4), KeyDistributionFaultCode.UnknownKeySet),
            ("no key set with the KVN", acme, Request(KddGpPro, E0(0x07, 0x88, 32), kekIndex: 4), KeyDistributionFaultCode.UnknownKeySet),
            ("no KEK with the index", acme, Request(KddGpPro, E0BasicDes, kekIndex: 9), KeyDistributionFaultCode.UnknownKek),
            ("another TSM's KEK index", acme, Request(KddGpPro, E0BasicDes, kekIndex: 7), KeyDistributionFaultCode.UnknownKek),
            ("AES-256 keys under 2-key TDES", acme, Request(KddGpPro, E0Aes256, kekIndex: 1), KeyDistributionFaultCode.WeakKek),
            ("AES-256 keys under AES-128", acme, Request(KddGpPro, E0Aes256, kekIndex: 2), KeyDistributionFaultCode.WeakKek),
            ("AES-128 keys under 3-key TDES", acme, Request(KddGpPro, E0(0x06, 0x88, 16), kekIndex: 3), KeyDistributionFaultCode.WeakKek),
        };
        foreach (var (name, caller, request, code) in cases)
        {
            var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(request, caller));
            Assert.True(refused.Code == code, $"{name}: expected {code}, got {refused.Code} ({refused.Message})");
        }

        var records = await env.KeyRequestRecordsAsync();
        Assert.Equal(cases.Select(c => c.Code.ToString()), records.Select(r => r.Outcome));

        // What each of them may do, it gets: AES-256 keys under the AES-256 KEK, SCP02 keys under 2-key TDES, AES-128 under AES-128.
        Assert.Equal(["2972D2", "036F94", "5D57B8"], (await env.KeyRequests.GetDiversifiedKeysAsync(Request(KddGpPro, E0Aes256, kekIndex: 4), acme)).Keys.Select(k => k.CheckValue));
        Assert.Equal(["C33013", "6F4CA6", "BB8179"], (await env.KeyRequests.GetDiversifiedKeysAsync(Request(KddGpPro, E0BasicDes, kekIndex: 1), acme)).Keys.Select(k => k.CheckValue));
        Assert.Equal(["E79C05", "D1BD77", "3FDE8C"], (await env.KeyRequests.GetDiversifiedKeysAsync(Request(KddGpPro, E0(0x06, 0x88, 16), kekIndex: 2), acme)).Keys.Select(k => k.CheckValue));
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(Request(KddGpPro, E0BasicDes, kekIndex: 7), other)).Keys.Count);
        Assert.Equal(cases.Length + 4, (await env.KeyRequestRecordsAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_BurstExhausted_RateLimited(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider, new Dictionary<string, string?>
        {
            ["Ttp:Soap:RateLimit:PermitsPerSecond"] = "0.001",
            ["Ttp:Soap:RateLimit:Burst"] = "2",
        });
        var acme = await env.AddTsmAsync("acme", [Iin]);
        var other = await env.AddTsmAsync("other", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKekAsync("other", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var request = Request(KddOpenJavaCard, E0BasicDes);

        await env.KeyRequests.GetDiversifiedKeysAsync(request, acme);
        await env.KeyRequests.GetDiversifiedKeysAsync(request, acme);
        var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(request, acme));

        Assert.Equal(KeyDistributionFaultCode.RateLimited, refused.Code);
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, other)).Keys.Count);

        // Beyond the rate: no record of its own, counted into acme's summary of that second.
        await env.Services.GetRequiredService<KeyRequestRefusalSummaries>().FlushAsync();
        var records = await env.KeyRequestRecordsAsync();
        Assert.Equal(["ok", "ok", "ok"], records.Where(r => r.Action == Ttp.Domain.Audit.AuditRecord.KeyRequestAction).Select(r => r.Outcome));
        var summary = Assert.Single(records, r => r.Action == Ttp.Domain.Audit.AuditRecord.RefusalsSummarisedAction);
        Assert.Equal("tsm:acme", summary.Actor);
        using var details = JsonDocument.Parse(summary.Details);
        Assert.Equal(1, details.RootElement.GetProperty("refused").GetInt64());
        Assert.Equal(1, details.RootElement.GetProperty("codes").GetProperty("RateLimited").GetInt64());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_TsmRateLimitOverride_ReplacesTheDefaultForThatTsmOnly(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider, new Dictionary<string, string?>
        {
            ["Ttp:Soap:RateLimit:PermitsPerSecond"] = "0.001",
            ["Ttp:Soap:RateLimit:Burst"] = "1",
        });
        var fast = await env.AddTsmAsync("fast", [Iin]);
        var slow = await env.AddTsmAsync("slow", [Iin]);
        await env.AddKekAsync("fast", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKekAsync("slow", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var tsms = (TsmService)env.Services.GetService(typeof(TsmService))!;
        await tsms.UpdateScopeAsync("fast", [Iin], rateLimitPerSecond: 10_000, Staff);
        await env.ApprovePendingAsync("fast");
        var request = Request(KddOpenJavaCard, E0BasicDes);

        // One token of burst; "fast" earns it back within a tenth of a millisecond, "slow" (the default) in 1000 s.
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(5);
            Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, fast)).Keys.Count);
        }

        await env.KeyRequests.GetDiversifiedKeysAsync(request, slow);
        await Task.Delay(5);
        var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(request, slow));
        Assert.Equal(KeyDistributionFaultCode.RateLimited, refused.Code);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_DatabaseUnavailable_ServiceUnavailableAndNoKey(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var request = Request(KddOpenJavaCard, E0BasicDes);
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, acme)).Keys.Count);

        await env.BreakDatabaseAsync();
        KeyRequestResult? result = null;
        var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(async () => result = await env.KeyRequests.GetDiversifiedKeysAsync(request, acme));

        Assert.Equal(KeyDistributionFaultCode.ServiceUnavailable, refused.Code);
        Assert.Null(result);
        Assert.DoesNotContain("Sqlite", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_DamagedStoredKey_ServiceUnavailableAuditedAndNoKey(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var request = Request(KddOpenJavaCard, E0BasicDes);
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, acme)).Keys.Count);

        // The sealed master key is overwritten with zeros of the same length, as a disk or a bad restore might.
        var zeros = provider == DatabaseProvider.Sqlite
            ? "zeroblob(length(envelope_payload))"
            : "decode(repeat('00', length(envelope_payload)), 'hex')";
        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE issuer_key_sets SET envelope_payload = {zeros}"));

        KeyRequestResult? result = null;
        var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(async () => result = await env.KeyRequests.GetDiversifiedKeysAsync(request, acme));

        Assert.Equal(KeyDistributionFaultCode.ServiceUnavailable, refused.Code);
        Assert.Null(result);
        var records = await env.KeyRequestRecordsAsync();
        Assert.Equal(["ok", "ServiceUnavailable"], records.Select(r => r.Outcome));
        Assert.Equal(refused.RequestId, JsonDocument.Parse(records[^1].Details).RootElement.GetProperty("requestId").GetGuid());
        Assert.DoesNotContain("   at ", refused.Message, StringComparison.Ordinal);
    }
}
