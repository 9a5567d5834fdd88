using Ttp.Crypto;

namespace Ttp.CardSimulator.Tests;

/// <summary>GET STATUS and DELETE inside a secure channel, over a registry holding the ISD and its load file.</summary>
public sealed class RegistryTests
{
    [Fact]
    public void GetStatus_IssuerSecurityDomain_AnswersIsdEntry()
    {
        using var card = TestCards.DefaultScp02();
        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey);

        var answer = host.Send(0xF2, 0x80, 0x02, [0x4F, 0x00]);

        // The ISD entry of kaoh/globalplatform globalplatform/src/scp03Test.c, get_status_enc_mac.
        Assert.Equal(
            "E3324F08A0000001510000009F70020F00C50382FC80C407A0000001515350CE020100CC08A000000151000000EA0580030080009000",
            Hex.Encode(answer));
    }

    [Fact]
    public void GetStatus_LegacyFormat_Answers6A86()
    {
        using var card = TestCards.DefaultScp02();
        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey);

        Assert.Equal("6A86", Hex.Encode(host.Send(0xF2, 0x80, 0x00, [0x4F, 0x00])));
    }

    [Fact]
    public void Delete_IssuerSecurityDomain_Answers6985()
    {
        using var card = TestCards.DefaultScp02();
        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey);

        Assert.Equal("6985", Hex.Encode(host.Send(0xE4, 0x00, 0x00, Convert.FromHexString("4F08A000000151000000"))));
        Assert.True(card.IsAuthenticated);
    }

    [Fact]
    public void PutKey_SingleKeyP2_Answers6A86()
    {
        using var card = TestCards.DefaultScp02();
        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey);

        Assert.Equal("6A86", Hex.Encode(host.Send(0xD8, 0x00, 0x01, [0x02])));
    }

    [Fact]
    public void InitializeUpdate_Scp03RandomChallenge_AnswersWithoutCounter()
    {
        using var card = TestCards.DefaultScp03(i: "00");

        var answer = card.Send("80500000080011223344556677" + "00");

        // KDD (10), KVN, 03, i, the injected challenge (8), cryptogram (8), no counter (i bit 5 clear), 9000.
        Assert.Equal(((10 + 3 + 8 + 8) * 2) + 4, answer.Length);
        Assert.Equal("3003000102030405060708", answer.Substring(20, 22));
    }
}
