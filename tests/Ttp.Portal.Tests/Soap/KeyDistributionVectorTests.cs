using System.Net;
using System.Security.Cryptography;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Crypto.KeyBlocks;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// Success paths through raw SOAP against published vectors, on SQLite and on PostgreSQL: SCP02 over SOAP 1.2, SCP03 in
/// TR-31; each delivery durably audited (one ok record under the answer's RequestId).
/// </summary>
public sealed class KeyDistributionVectorTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task Soap12_EmvCpsVector_CryptogramsDecryptToPublishedKeys(DatabaseProvider provider)
    {
        // OpenJavaCard/openjavacard-tools SCPDiversificationTest.java (EMV CPS 1.1): master 40..4F, KDD 0102030405060708090A.
        const string kek = "0123456789ABCDEFFEDCBA9876543210";
        string[] expected = ["6438A05AC377DF302423BC5E2038FB5B", "5A9402DDABC5B9497BBECE0884929B83", "ACB4C129B3912FB782A4EAEE043BAE95"];
        using var host = new PortalHost(database: provider);
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        await host.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString(kek));
        await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11,
            Convert.FromHexString("404142434445464748494A4B4C4D4E4F"));
        using var client = host.CreateSoapClient(certificate);

        var reply = await SoapWire.PostAsync(client, SoapWire.Request(), soap12: true);

        Assert.True(HttpStatusCode.OK == reply.Status, reply.Body);
        Assert.Contains(SoapWire.Soap12, reply.Body, StringComparison.Ordinal);
        Assert.False(reply.IsFault);
        Assert.Equal("SCP02", reply.ResponseValue("Scheme"));
        Assert.Equal("GP", reply.ResponseValue("Format"));
        Assert.Equal(["ENC", "MAC", "DEK"], reply.Keys.Select(k => reply.Value(k, "Usage")));
        var keys = reply.Keys.Select(k => GpKeyEncryption.DecryptTdes(Convert.FromHexString(kek), Convert.FromHexString(reply.Value(k, "Cryptogram")))).ToList();
        Assert.Equal(expected, keys.Select(Convert.ToHexString));
        // GlobalPlatform check value of a DES key: the first 3 bytes of TDES-ECB over 8 zero bytes.
        Assert.Equal(keys.Select(DesCheckValue), reply.Keys.Select(k => reply.Value(k, "CheckValue")));
        await AssertDeliveryAuditedAsync(host, reply);
    }

    // GlobalPlatformPro TestPlaintextKeys.java: KDF3, KDD 00010203040506070809. By name, so that no key is in a test name.
    private static readonly Dictionary<string, (string Master, string Enc, string Mac, string Dek)> Scp03Published = new()
    {
        ["AES-128 master 40..4F"] = ("404142434445464748494A4B4C4D4E4F", "E79C05", "D1BD77", "3FDE8C"),
        ["AES-256 master 40..5F"] = ("404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F", "2972D2", "036F94", "5D57B8"),
    };

    public static IEnumerable<object[]> Scp03Vectors() => TestDatabases.OnBoth(Scp03Published.Keys.Select(name => new object[] { name }));

    [Theory]
    [MemberData(nameof(Scp03Vectors))]
    public async Task Scp03Kdf3_Tr31Blocks_UnwrapUnderKekToPublishedCheckValues(DatabaseProvider provider, string vector)
    {
        var (master, enc, mac, dek) = Scp03Published[vector];
        var kek = RandomNumberGenerator.GetBytes(32);
        var length = master.Length / 2;
        var e0 = "E012" + string.Concat(new[] { 1, 2, 3 }.Select(id => $"C004{id:X2}3088{length:X2}"));
        using var host = new PortalHost(database: provider);
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000003");
        await host.AddKekAsync("acme", 2, KekAlgorithm.Aes256, KekFormat.Tr31, kek);
        await host.AddKeySetAsync("A0000003", 0x30, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, Convert.FromHexString(master));
        using var client = host.CreateSoapClient(certificate);

        var reply = await SoapWire.PostAsync(client, SoapWire.Request(kdd: "00010203040506070809", e0: e0, iin: "A0000003", kekIndex: "2"));

        Assert.True(HttpStatusCode.OK == reply.Status, reply.Body);
        Assert.Equal("SCP03", reply.ResponseValue("Scheme"));
        Assert.Equal("TR31", reply.ResponseValue("Format"));
        Assert.Equal("48", reply.ResponseValue("KeyVersionNumber"));
        Assert.Equal(["ENC", "MAC", "DEK"], reply.Keys.Select(k => reply.Value(k, "Usage")));
        Assert.Equal(["D0", "M6", "K0"], reply.Keys.Select(k => reply.Value(k, "KeyBlock")[5..7]));
        var checkValues = new List<string>();
        foreach (var key in reply.Keys)
        {
            var block = reply.Value(key, "KeyBlock");
            Assert.StartsWith("D", block, StringComparison.Ordinal);
            using var unwrapped = Tr31KeyBlock.Unwrap(kek, block);
            Assert.Equal(length, unwrapped.Key.Length);
            Assert.Equal('A', unwrapped.Header.Algorithm);
            Assert.Equal("30", unwrapped.Header.KeyVersionNumber);
            var kcv = AesCheckValue(unwrapped.Key);
            Assert.Equal(kcv, reply.Value(key, "CheckValue"));
            checkValues.Add(kcv);
        }

        Assert.Equal([enc, mac, dek], checkValues);
        await AssertDeliveryAuditedAsync(host, reply);
    }

    // A delivery is answered only once its record is committed: the TSM's one record says ok under the answer's RequestId.
    private static async Task AssertDeliveryAuditedAsync(PortalHost host, SoapReply reply)
    {
        var requestId = reply.ResponseValue("RequestId");
        Assert.True(Guid.TryParse(requestId, out _), requestId);
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(host, "acme"));
        Assert.Equal("ok", record.Outcome);
        Assert.Contains(requestId, record.Details, StringComparison.OrdinalIgnoreCase);
    }

    // GlobalPlatform check value of an AES key: the first 3 bytes of AES-ECB over 16 bytes 01.
    private static string AesCheckValue(byte[] key)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToHexString(aes.EncryptEcb(Enumerable.Repeat((byte)1, 16).ToArray(), PaddingMode.None)[..3]);
    }

    // An independent computation for the test (TDES only as GlobalPlatform's check value of a DES key).
#pragma warning disable CA5350
    private static string DesCheckValue(byte[] key)
    {
        using var des = TripleDES.Create();
        des.Key = [.. key, .. key.AsSpan(0, 8)];
        return Convert.ToHexString(des.EncryptEcb(new byte[8], PaddingMode.None)[..3]);
    }
#pragma warning restore CA5350
}
