using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Crypto.KeyBlocks;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Tests.Infrastructure;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.KeyRequests;

/// <summary>
/// Deliveries of <see cref="Ttp.Domain.KeyRequests.KeyRequestService"/> checked against published diversification
/// vectors: the keys unwrapped from the answer (TR-31 or GP) under the test's KEK must be the published keys, and the
/// delivered check values the published check values.
/// </summary>
public sealed class KeyRequestServiceTests
{
    public sealed record Vector(
        string Name,
        SecureChannelScheme Scheme,
        DiversificationMethod Method,
        string Master,
        int Kvn,
        string E0,
        string Kdd,
        string[] CheckValues,
        string[]? Keys);

    // OpenJavaCard/openjavacard-tools src/test/java/org/openjavacard/gp/scp/SCPDiversificationTest.java,
    // testDiversifyEMV_0102030405060708090A: the full ENC, MAC and DEK keys.
    private static readonly Vector EmvOpenJavaCard = new("EMV CPS 1.1 (openjavacard)", SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Master16, 0xFF,
        E0BasicDes, KddOpenJavaCard,
        [.. new[] { "6438A05AC377DF302423BC5E2038FB5B", "5A9402DDABC5B9497BBECE0884929B83", "ACB4C129B3912FB782A4EAEE043BAE95" }
            .Select(k => IndependentCheckValue(aes: false, Hex.Parse(k, "key")))],
        ["6438A05AC377DF302423BC5E2038FB5B", "5A9402DDABC5B9497BBECE0884929B83", "ACB4C129B3912FB782A4EAEE043BAE95"]);

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java,
    // testDiversification_EMV_SCP02: check values only.
    private static readonly Vector EmvGpPro = new("EMV CPS 1.1 (GlobalPlatformPro)", SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Master16, 0xFF,
        E0BasicDes, KddGpPro, ["C33013", "6F4CA6", "BB8179"], null);

    // martinpaljak/GlobalPlatformPro TestPlaintextKeys.java, testDiversification_VISA2_SCP02.
    private static readonly Vector Visa2 = new("VISA2", SecureChannelScheme.Scp02, DiversificationMethod.Visa2, Master16, 0xFF,
        E0BasicDes, KddGpPro, ["2BE598", "58DA38", "3C328E"], null);

    // martinpaljak/GlobalPlatformPro TestPlaintextKeys.java, testDiversification_KDF3_SCP03_AES128.
    private static readonly Vector Kdf3Aes128 = new("KDF3 AES-128", SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, Master16, 0x01,
        E0(0x01, 0x88, 16), KddGpPro, ["E79C05", "D1BD77", "3FDE8C"], null);

    // martinpaljak/GlobalPlatformPro TestPlaintextKeys.java, testDiversification_KDF3_SCP03_AES192.
    private static readonly Vector Kdf3Aes192 = new("KDF3 AES-192", SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, Master24, 0x02,
        E0(0x02, 0x88, 24), KddGpPro, ["1DE8EA", "47C00C", "C04D76"], null);

    // martinpaljak/GlobalPlatformPro TestPlaintextKeys.java, testDiversification_KDF3_SCP03_AES256; E0 of the real
    // AES-256 card in docs/GLOBALPLATFORM.md.
    private static readonly Vector Kdf3Aes256 = new("KDF3 AES-256", SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, Master32, 0x01,
        E0Aes256, KddGpPro, ["2972D2", "036F94", "5D57B8"], null);

    public static TheoryData<DatabaseProvider, string, KekAlgorithm, KekFormat> Deliveries()
    {
        var data = new TheoryData<DatabaseProvider, string, KekAlgorithm, KekFormat>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            data.Add(provider, EmvOpenJavaCard.Name, KekAlgorithm.Tdes2, KekFormat.Tr31);
            data.Add(provider, EmvOpenJavaCard.Name, KekAlgorithm.Tdes2, KekFormat.GpEncrypted);
            data.Add(provider, EmvGpPro.Name, KekAlgorithm.Aes128, KekFormat.Tr31);
            data.Add(provider, Visa2.Name, KekAlgorithm.Tdes2, KekFormat.GpEncrypted);
            data.Add(provider, Visa2.Name, KekAlgorithm.Tdes3, KekFormat.Tr31);
            data.Add(provider, Kdf3Aes128.Name, KekAlgorithm.Aes128, KekFormat.Tr31);
            data.Add(provider, Kdf3Aes128.Name, KekAlgorithm.Aes256, KekFormat.GpEncrypted);
            data.Add(provider, Kdf3Aes192.Name, KekAlgorithm.Aes256, KekFormat.Tr31);
            data.Add(provider, Kdf3Aes256.Name, KekAlgorithm.Aes256, KekFormat.Tr31);
            data.Add(provider, Kdf3Aes256.Name, KekAlgorithm.Aes256, KekFormat.GpEncrypted);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task GetDiversifiedKeys_PublishedVector_DeliversPublishedKeysUnderKek(DatabaseProvider provider, string vectorName, KekAlgorithm kekAlgorithm, KekFormat format)
    {
        var vector = new[] { EmvOpenJavaCard, EmvGpPro, Visa2, Kdf3Aes128, Kdf3Aes192, Kdf3Aes256 }.Single(v => v.Name == vectorName);
        var kek = Hex.Parse(KekOf(kekAlgorithm), "kek");
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var caller = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, kekAlgorithm, format, kek);
        await env.AddKeySetAsync(Iin, vector.Kvn, vector.Scheme, vector.Method, Hex.Parse(vector.Master, "master"));

        var result = await env.KeyRequests.GetDiversifiedKeysAsync(Request(vector.Kdd, vector.E0), caller);

        var aesKeys = vector.Scheme == SecureChannelScheme.Scp03;
        var aesKek = Kek.IsAes(kekAlgorithm);
        Assert.Equal(aesKeys ? "SCP03" : "SCP02", result.Scheme);
        Assert.Equal(vector.Kvn, result.KeyVersionNumber);
        Assert.Equal(vector.Method.ToString(), result.DiversificationMethod);
        Assert.Equal(1, result.KekIndex);
        Assert.Equal(IndependentCheckValue(aesKek, kek), result.KekCheckValue);
        Assert.Equal(format == KekFormat.Tr31 ? "TR31" : "GP", result.Format);
        Assert.Equal(["ENC", "MAC", "DEK"], result.Keys.Select(k => k.Usage));
        Assert.Equal([1, 2, 3], result.Keys.Select(k => k.KeyId));
        for (var i = 0; i < 3; i++)
        {
            var delivered = result.Keys[i];
            Assert.Equal(aesKeys ? "AES" : "TDES", delivered.Algorithm);
            Assert.Equal(vector.Master.Length / 2, delivered.Length);
            Assert.Equal(vector.CheckValues[i], delivered.CheckValue);
            var key = Unwrap(delivered, kek, aesKek, format, out var header);
            try
            {
                Assert.Equal(vector.CheckValues[i], Hex.Encode(vector.Scheme.CheckValue(key)));
                if (vector.Keys is not null)
                {
                    Assert.Equal(vector.Keys[i], Hex.Encode(key));
                }

                if (header is not null)
                {
                    Assert.Equal(aesKek ? 'D' : 'B', header.Version);
                    Assert.Equal(i switch { 0 => "D0", 1 => aesKeys ? "M6" : "M3", _ => "K0" }, header.KeyUsage);
                    Assert.Equal(aesKeys ? 'A' : 'T', header.Algorithm);
                    Assert.Equal(i == 1 ? 'C' : 'B', header.ModeOfUse);
                    Assert.Equal(vector.Kvn.ToString("X2", System.Globalization.CultureInfo.InvariantCulture), header.KeyVersionNumber);
                    Assert.Equal('E', header.Exportability);
                    Assert.NotNull(header.FindOptionalBlock(Tr31OptionalBlock.KeyCheckValueId));
                    Assert.NotNull(header.FindOptionalBlock(Tr31OptionalBlock.KbpkCheckValueId));
                    Assert.NotNull(header.FindOptionalBlock(Tr31OptionalBlock.TimeStampId));
                }
            }
            finally
            {
                Array.Clear(key);
            }
        }

        var records = await env.KeyRequestRecordsAsync();
        var record = Assert.Single(records);
        Assert.Equal(AuditRecord.OutcomeOk, record.Outcome);
        Assert.Equal("tsm:acme", record.Actor);
        Assert.Equal($"issuer-key:{Iin}/{vector.Kvn}", record.Subject);
        using var details = JsonDocument.Parse(record.Details);
        var root = details.RootElement;
        Assert.Equal(result.RequestId, root.GetProperty("requestId").GetGuid());
        Assert.Equal(caller.CertificateSha256Thumbprint, root.GetProperty("certificateThumbprint").GetString());
        Assert.Equal("192.0.2.10", root.GetProperty("remoteAddress").GetString());
        Assert.Equal(vector.Kdd, root.GetProperty("kdd").GetString());
        Assert.Equal(Iin, root.GetProperty("iin").GetString());
        Assert.Equal(vector.Kvn, root.GetProperty("kvn").GetInt32());
        Assert.Equal(1, root.GetProperty("kekIndex").GetInt32());
        Assert.Equal(vector.CheckValues, new[] { "enc", "mac", "dek" }.Select(u => root.GetProperty("checkValues").GetProperty(u).GetString()));
        Assert.True(root.GetProperty("latencyMicroseconds").GetInt64() >= 0);
        foreach (var delivered in result.Keys)
        {
            Assert.DoesNotContain((delivered.KeyBlock ?? delivered.Cryptogram)!, record.Details, StringComparison.Ordinal);
        }

        if (vector.Keys is not null)
        {
            Assert.All(vector.Keys, k => Assert.DoesNotContain(k, record.Details, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_ExplicitKvnAmongSeveral_UsesThatKeySet(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider, new Dictionary<string, string?> { ["Ttp:Soap:PublicUrl"] = "https://ttp.example/soap/v1" });
        var caller = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 3, KekAlgorithm.Aes256, KekFormat.Tr31, Hex.Parse(Aes256Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        await env.AddKeySetAsync(Iin, 0x01, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, Hex.Parse(Master32, "m"));
        var e0 = Hex.Encode(BerTlv.EncodeConstructed(0xE0,
            BerTlv.Encode(0xC0, [1, 0xFF, 0x80, 0x10]),
            BerTlv.Encode(0xC0, [1, 0x01, 0x88, 0x20]),
            BerTlv.Encode(0xC0, [2, 0x01, 0x88, 0x20]),
            BerTlv.Encode(0xC0, [3, 0x01, 0x88, 0x20])));

        // Lower-case hex, the URL with another case of host and a trailing slash, C1 and CIN recorded.
        var request = new Ttp.Domain.KeyRequests.KeyRequest("https://TTP.example/soap/v1/", KddGpPro.ToLowerInvariant(), e0.ToLowerInvariant(), "00001e",
            Iin.ToLowerInvariant(), "0000", 1, 3);
        var result = await env.KeyRequests.GetDiversifiedKeysAsync(request, caller);

        // martinpaljak/GlobalPlatformPro TestPlaintextKeys.java, testDiversification_KDF3_SCP03_AES256.
        Assert.Equal(["2972D2", "036F94", "5D57B8"], result.Keys.Select(k => k.CheckValue));
        Assert.Equal(1, result.KeyVersionNumber);
        var record = Assert.Single(await env.KeyRequestRecordsAsync());
        using var details = JsonDocument.Parse(record.Details);
        Assert.Equal("00001E", details.RootElement.GetProperty("sequenceCounter").GetString());
        Assert.Equal("0000", details.RootElement.GetProperty("cin").GetString());
    }

    [Fact]
    public async Task GetDiversifiedKeys_RequestIds_Version7InTheOrderOfTheirTime()
    {
        // Time-ordered ids keep the request-id search index growing at its end (docs/PERFORMANCE.md).
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        await using var env = await KeyRequestEnvironment.CreateAsync(
            DatabaseProvider.Sqlite, configure: services => services.AddSingleton<TimeProvider>(clock));
        var caller = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));

        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await env.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), caller)).RequestId);
            clock.Advance(TimeSpan.FromMilliseconds(2));
        }

        Assert.All(ids, id => Assert.Equal(7, id.Version));
        Assert.Equal(ids.Select(id => id.ToString()).Order(StringComparer.Ordinal), ids.Select(id => id.ToString()));
        Assert.Equal(clock.GetUtcNow().AddMilliseconds(-6).ToUnixTimeMilliseconds(), Convert.ToInt64(ids[0].ToString("N")[..12], 16));
    }

    internal static string KekOf(KekAlgorithm algorithm) => algorithm switch
    {
        KekAlgorithm.Tdes2 => Tdes2Kek,
        KekAlgorithm.Tdes3 => Tdes3Kek,
        KekAlgorithm.Aes128 => Aes128Kek,
        KekAlgorithm.Aes256 => Aes256Kek,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    // The KEK's check value computed with the BCL, not with the product's KeyCheckValue: TDES-ECB over 8 zero bytes (a
    // 2-key TDES key as K1 K2 K1), or AES-ECB over 16 bytes 01; the first 3 bytes.
    private static string IndependentCheckValue(bool aes, byte[] key)
    {
        if (aes)
        {
            using var cipher = System.Security.Cryptography.Aes.Create();
            cipher.Key = key;
            return Convert.ToHexString(cipher.EncryptEcb(Enumerable.Repeat((byte)1, 16).ToArray(), System.Security.Cryptography.PaddingMode.None), 0, 3);
        }

#pragma warning disable CA5350 // TDES check values are what GlobalPlatform defines for TDES keys.
        using var tdes = System.Security.Cryptography.TripleDES.Create();
#pragma warning restore CA5350
        tdes.Key = key.Length == 16 ? [.. key, .. key.AsSpan(0, 8)] : key;
        return Convert.ToHexString(tdes.EncryptEcb(new byte[8], System.Security.Cryptography.PaddingMode.None), 0, 3);
    }

    private static byte[] Unwrap(Ttp.Domain.KeyRequests.DeliveredKey delivered, byte[] kek, bool aesKek, KekFormat format, out Tr31Header? header)
    {
        if (format == KekFormat.Tr31)
        {
            Assert.Null(delivered.Cryptogram);
            using var unwrapped = Tr31KeyBlock.Unwrap(kek, delivered.KeyBlock!);
            header = unwrapped.Header;
            return (byte[])unwrapped.Key.Clone();
        }

        Assert.Null(delivered.KeyBlock);
        header = null;
        var cryptogram = Hex.Parse(delivered.Cryptogram, "cryptogram");
        return aesKek ? GpKeyEncryption.DecryptAes(kek, cryptogram) : GpKeyEncryption.DecryptTdes(kek, cryptogram);
    }
}
