using Ttp.Crypto;

namespace Ttp.CardSimulator.Tests;

/// <summary>How the card opens, keeps and ends a secure channel, and what it refuses (GlobalPlatform Card Specification 2.3.1, 10.2 and 11).</summary>
public sealed class SecureChannelTests
{
    private const string GetStatusIsd = "80F28002024F0000";

    [Fact]
    public void ExternalAuthenticate_WrongHostCryptogram_Answers6300AndClosesChannel()
    {
        using var card = TestCards.DefaultScp02();
        card.Send("80500000080011223344556677" + "00");

        // A host cryptogram of zeros with any C-MAC: the cryptogram is checked first, as cards do (wrong keys give 6300).
        Assert.Equal("6300", card.Send("84820100100000000000000000" + "0000000000000000"));
        Assert.False(card.IsAuthenticated);
        Assert.Equal("6985", card.Send("84820100100000000000000000" + "0000000000000000"));
    }

    [Fact]
    public void ExternalAuthenticate_WrongStaticEncKey_Answers6300()
    {
        using var card = TestCards.DefaultScp02();

        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey, enc: "000102030405060708090A0B0C0D0E0F");

        Assert.Equal("6300", host.ExternalAuthenticateResponse);
        Assert.False(card.IsAuthenticated);
    }

    [Fact]
    public void ExternalAuthenticate_WithoutInitializeUpdate_Answers6985()
    {
        using var card = TestCards.DefaultScp02();

        Assert.Equal("6985", card.Send("84820100107C799B3C771DBAE6BEF49310977617BA"));
    }

    [Fact]
    public void Process_Scp02CommandWithBadCmac_Answers6982AndClosesChannel()
    {
        using var card = TestCards.DefaultScp02();
        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey);
        Assert.Equal("9000", host.ExternalAuthenticateResponse);

        var answer = host.Send(0xF2, 0x80, 0x02, [0x4F, 0x00], corruptMac: true);

        Assert.Equal("6982", Hex.Encode(answer));
        Assert.False(card.IsAuthenticated);
    }

    [Fact]
    public void Process_Scp03CommandWithBadCmac_Answers6982AndClosesChannel()
    {
        using var card = TestCards.DefaultScp03();
        using var host = HostChannel.OpenScp03(card, TestCards.DefaultKey);
        Assert.Equal("9000", host.ExternalAuthenticateResponse);

        var answer = host.Send(0xF2, 0x80, 0x02, [0x4F, 0x00], corruptMac: true);

        Assert.Equal("6982", Hex.Encode(answer));
        Assert.False(card.IsAuthenticated);
    }

    [Fact]
    public void Process_Scp03ChannelAtRmacLevel_AppendsVerifiableRmac()
    {
        using var card = TestCards.DefaultScp03();
        using var host = HostChannel.OpenScp03(card, TestCards.DefaultKey, level: 0x11);
        Assert.Equal("9000", host.ExternalAuthenticateResponse);

        var answer = host.Send(0xF2, 0x80, 0x02, [0x4F, 0x00]);

        var data = answer[..^10];
        byte[] dataAndStatus = [.. data, 0x90, 0x00];
        Assert.Equal(Hex.Encode(host.ExpectedResponseMac(dataAndStatus)), Hex.Encode(answer.AsSpan(answer.Length - 10, 8)));
        Assert.StartsWith("E332", Hex.Encode(data), StringComparison.Ordinal);
    }

    [Fact]
    public void ExternalAuthenticate_RmacLevelWithoutRmacSupport_Answers6A86()
    {
        using var card = TestCards.DefaultScp03(i: "10");

        using var host = HostChannel.OpenScp03(card, TestCards.DefaultKey, level: 0x11);

        Assert.Equal("6A86", host.ExternalAuthenticateResponse);
        Assert.False(card.IsAuthenticated);
    }

    [Theory]
    [InlineData(GetStatusIsd)]
    [InlineData("80D8008104" + "01020304")]
    [InlineData("80E400000A4F08D0D1D2D3D4D50101")]
    public void Process_CommandNeedingAuthenticationBeforeIt_Answers6982(string command)
    {
        using var card = TestCards.DefaultScp02();

        Assert.Equal("6982", card.Send(command));
    }

    [Fact]
    public void Process_UnsecuredGetStatusInsideMacSession_Answers6982AndClosesChannel()
    {
        using var card = TestCards.DefaultScp02();
        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey);

        Assert.Equal("6982", card.Send(GetStatusIsd));
        Assert.False(card.IsAuthenticated);
    }

    [Fact]
    public void Process_SecuredCommandWithoutSession_Answers6982()
    {
        using var card = TestCards.DefaultScp02();

        Assert.Equal("6982", card.Send("84F220020A4F00BB6E71C0EFCFCF0D00"));
    }

    [Fact]
    public void InitializeUpdate_UnknownKeyVersion_Answers6A88()
    {
        using var card = TestCards.DefaultScp02();

        Assert.Equal("6A88", card.Send("80502000080011223344556677" + "00"));
    }

    [Fact]
    public void InitializeUpdate_ShortHostChallenge_Answers6700()
    {
        using var card = TestCards.DefaultScp02();

        Assert.Equal("6700", card.Send("805000000400112233" + "00"));
    }

    [Fact]
    public void InitializeUpdate_Scp02_IncrementsCounterEachTime()
    {
        using var card = TestCards.DefaultScp02(counter: "069F");
        Assert.Equal("C102069F9000", card.Send("80CA00C100"));

        var first = card.Send("80500000080011223344556677" + "00");
        var second = card.Send("80500000080011223344556677" + "00");

        Assert.Equal("069F", first.Substring(24, 4));
        Assert.Equal("06A0", second.Substring(24, 4));
        Assert.Equal("C10206A19000", card.Send("80CA00C100"));
    }

    [Fact]
    public void InitializeUpdate_Scp02CounterExhausted_Answers6985()
    {
        using var card = TestCards.DefaultScp02(counter: "FFFF");
        Assert.EndsWith("9000", card.Send("80500000080011223344556677" + "00"), StringComparison.Ordinal);

        Assert.Equal("6985", card.Send("80500000080011223344556677" + "00"));
    }

    [Fact]
    public void Select_DuringSession_ClosesChannel()
    {
        using var card = TestCards.DefaultScp02();
        using var host = HostChannel.OpenScp02(card, TestCards.DefaultKey);
        Assert.True(card.IsAuthenticated);

        Assert.EndsWith("9000", card.Send("00A4040008A00000015100000000"), StringComparison.Ordinal);

        Assert.False(card.IsAuthenticated);
    }

    [Theory]
    [InlineData("80CA00")]
    [InlineData("80CA00660500")]
    [InlineData("80CA0066020102030400")]
    public void Process_MalformedApdu_Answers6700(string command)
    {
        using var card = TestCards.DefaultScp02();

        Assert.Equal("6700", card.Send(command));
    }

    [Fact]
    public void Process_UnknownInstruction_Answers6D00()
    {
        using var card = TestCards.DefaultScp02();

        Assert.Equal("6D00", card.Send("80AA000000"));
    }

    [Fact]
    public void Process_UnknownClass_Answers6E00()
    {
        using var card = TestCards.DefaultScp02();

        Assert.Equal("6E00", card.Send("A0CA006600"));
    }
}
