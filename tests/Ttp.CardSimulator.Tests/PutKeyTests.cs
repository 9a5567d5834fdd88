using Ttp.Crypto;

namespace Ttp.CardSimulator.Tests;

/// <summary>
/// PUT KEY of a key set (GlobalPlatform Card Specification 2.3.1, 11.8; Amendment D v1.1.2, 7.2). Key values and
/// their cryptograms are published vectors: the default key under the SCP02 S-DEK of counter 0000
/// (GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java, testKeyEncryption_SCP02) with
/// its check value 8BAF47 (same file, testSessionKeys_SCP01), and 16 bytes of 01 under the default key as AES DEK
/// (kaoh/globalplatform issue #73).
/// </summary>
public sealed class PutKeyTests
{
    private const string DefaultKeyUnderSessionDek = "EFBEE6C6D99D7B70BDE9D7E927F020AF";
    private const string DefaultKeyCheckValue = "8BAF47";
    private const string OnesUnderDefaultAesDek = "504A77E6E457DD861E066F7804281A5F";

    private static byte[] Scp02KeySetData(byte kvn) =>
        Convert.FromHexString($"{kvn:X2}" + string.Concat(Enumerable.Repeat("8010" + DefaultKeyUnderSessionDek + "03" + DefaultKeyCheckValue, 3)));

    [Fact]
    public void PutKey_Scp02NewKeySet_AnswersCheckValuesAndOpensWithNewVersion()
    {
        using var card = TestCards.DefaultScp02();
        using (var host = HostChannel.OpenScp02(card, TestCards.DefaultKey))
        {
            var answer = host.Send(0xD8, 0x00, 0x81, Scp02KeySetData(0x02));

            Assert.Equal("02" + DefaultKeyCheckValue + DefaultKeyCheckValue + DefaultKeyCheckValue + "9000", Hex.Encode(answer));
        }

        Assert.Contains("C00401028010", card.Send("80CA00E000"), StringComparison.Ordinal);
        using var second = HostChannel.OpenScp02(card, TestCards.DefaultKey, kvn: 0x02);
        Assert.Equal("9000", second.ExternalAuthenticateResponse);
    }

    [Fact]
    public void PutKey_Scp02ReplaceKeySet_KeepsOneKeySetUnderNewVersion()
    {
        using var card = TestCards.DefaultScp02();
        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey);

        var answer = host.Send(0xD8, 0x01, 0x81, Scp02KeySetData(0x05));

        Assert.EndsWith("9000", Hex.Encode(answer), StringComparison.Ordinal);
        Assert.Equal("E012C00401058010C00402058010C004030580109000", card.Send("80CA00E000"));
    }

    [Fact]
    public void PutKey_KeyEncryptedUnderOtherDek_Answers6A80AndAddsNothing()
    {
        // The card's DEK is not the default key, so its S-DEK does not decrypt the published cryptogram to a key
        // with check value 8BAF47: 6A80, incorrect values in the command data (GP 2.3.1, 11.8.3.2).
        using var card = TestCards.DefaultScp02(dek: "000102030405060708090A0B0C0D0E0F");
        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey);

        var answer = host.Send(0xD8, 0x00, 0x81, Scp02KeySetData(0x02));

        Assert.Equal("6A80", Hex.Encode(answer));
        Assert.Single(card.Card.KeySets);
        Assert.True(card.IsAuthenticated);
    }

    [Fact]
    public void PutKey_ReplaceUnknownKeyVersion_Answers6A88()
    {
        using var card = TestCards.DefaultScp02();
        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey);

        Assert.Equal("6A88", Hex.Encode(host.Send(0xD8, 0x09, 0x81, Scp02KeySetData(0x02))));
    }

    [Fact]
    public void PutKey_NewVersionAlreadyTaken_Answers6A80()
    {
        using var card = TestCards.DefaultScp02();
        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey);

        Assert.Equal("6A80", Hex.Encode(host.Send(0xD8, 0x00, 0x81, Scp02KeySetData(0x01))));
    }

    [Fact]
    public void PutKey_TruncatedKeyData_Answers6A80()
    {
        using var card = TestCards.DefaultScp02();
        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey);

        Assert.Equal("6A80", Hex.Encode(host.Send(0xD8, 0x00, 0x81, Scp02KeySetData(0x02)[..40])));
    }

    [Fact]
    public void PutKey_Scp03NewAesKeySet_AnswersGlobalPlatformCheckValues()
    {
        using var card = TestCards.DefaultScp03();
        using var host = HostChannel.OpenScp03(card, TestCards.DefaultKey);
        var checkValue = Hex.Encode(KeyCheckValue.AesGlobalPlatform(Enumerable.Repeat((byte)0x01, 16).ToArray()));
        var data = Convert.FromHexString("31" + string.Concat(Enumerable.Repeat("881110" + OnesUnderDefaultAesDek + "03" + checkValue, 3)));

        var answer = host.Send(0xD8, 0x00, 0x81, data);

        Assert.Equal("31" + checkValue + checkValue + checkValue + "9000", Hex.Encode(answer));
        using var second = HostChannel.OpenScp03(card, "01010101010101010101010101010101", kvn: 0x31);
        Assert.Equal("9000", second.ExternalAuthenticateResponse);
    }
}
