using System.Text.Json.Nodes;
using Ttp.Crypto;

namespace Ttp.TsmClient.Tests;

/// <summary>
/// The sample cards carry the static keys of published vectors (samples/README.md): the full keys where they are
/// published (OpenJavaCard), else keys whose check values are the published ones (GlobalPlatformPro's VISA2 and KDF3
/// vectors). These tests hold the samples to their sources.
/// </summary>
public sealed class SampleCardTests
{
    // OpenJavaCard/openjavacard-tools src/test/java/org/openjavacard/gp/keys/GPKeySetTest.java, testDiversifyEMV_0102030405060708090A.
    [Fact]
    public void EmvCard_HoldsPublishedKeys()
    {
        var (kdd, keys) = Read("scp02-emv.json");

        Assert.Equal("0102030405060708090A", kdd);
        Assert.Equal(["6438A05AC377DF302423BC5E2038FB5B", "5A9402DDABC5B9497BBECE0884929B83", "ACB4C129B3912FB782A4EAEE043BAE95"], keys);
    }

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java:
    // testDiversification_VISA2_SCP02, testDiversification_KDF3_SCP03_AES128, testDiversification_KDF3_SCP03_AES256.
    [Theory]
    [InlineData("scp02-visa2.json", "2BE598", "58DA38", "3C328E")]
    [InlineData("scp03-kdf3-aes128.json", "E79C05", "D1BD77", "3FDE8C")]
    [InlineData("scp03-kdf3-aes256.json", "2972D2", "036F94", "5D57B8")]
    public void CheckValueCard_KeysHavePublishedCheckValues(string file, string enc, string mac, string dek)
    {
        var (kdd, keys) = Read(file);
        var aes = file.StartsWith("scp03", StringComparison.Ordinal);

        var checkValues = keys.Select(k => Convert.FromHexString(k)).Select(k => Hex.Encode(aes ? KeyCheckValue.AesGlobalPlatform(k) : KeyCheckValue.Des(k)));

        Assert.Equal("00010203040506070809", kdd);
        Assert.Equal([enc, mac, dek], checkValues);
    }

    private static (string Kdd, string[] Keys) Read(string file)
    {
        var card = SimulatedCard.Sample(file);
        var keys = card["keySets"]![0]!["keys"]!;
        return (card["kdd"]!.GetValue<string>(), [keys["enc"]!.GetValue<string>(), keys["mac"]!.GetValue<string>(), keys["dek"]!.GetValue<string>()]);
    }
}
