using System.Text;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;

namespace Ttp.CardSimulator.Tests;

/// <summary>SELECT and GET DATA: each data object is answered whole (tag, length, value) and parses with the product's own card data parsers.</summary>
public sealed class GetDataTests
{
    [Fact]
    public void GetData_SecurityDomainManagerUrl_AnswersUrl()
    {
        using var card = TestCards.DefaultScp02();

        var expected = "5F50" + $"{TestCards.Url.Length:X2}" + Hex.Encode(Encoding.ASCII.GetBytes(TestCards.Url)) + "9000";
        Assert.Equal(expected, card.Send("80CA5F5000"));
    }

    [Theory]
    [InlineData("80CA00CF00", "CF0A000074746E6E6E6262629000")]
    [InlineData("80CA004200", "42030000009000")]
    [InlineData("80CA004500", "450200009000")]
    [InlineData("00CA00C100", "C102069F9000")]
    [InlineData("80CA00E000", "E012C00401018010C00402018010C004030180109000")]
    public void GetData_Scp02Card_AnswersDataObject(string command, string expected)
    {
        using var card = TestCards.Card(
            TestCards.Json("02", "15", "01", "069F", TestCards.DefaultKey, TestCards.DefaultKey, TestCards.DefaultKey, "000074746E6E6E626262"));

        Assert.Equal(expected, card.Send(command));
    }

    [Fact]
    public void GetData_Scp03Aes256Card_AnswersThreeByteCounterAndAesKeys()
    {
        var key = TestCards.DefaultKey + TestCards.DefaultKey;
        using var card = TestCards.Card(TestCards.Json("03", "70", "01", "00001E", key, key, key));

        Assert.Equal("C10300001E9000", card.Send("80CA00C100"));

        // The published answer of a real AES-256 card (docs/GLOBALPLATFORM.md, tag E0).
        Assert.Equal("E012C00401018820C00402018820C004030188209000", card.Send("80CA00E000"));
    }

    [Fact]
    public void GetData_CardData_ParsesWithDefaultKeySetProtocol()
    {
        using var card = TestCards.DefaultScp03();

        var answer = card.Process(Convert.FromHexString("80CA006600"));

        var recognition = CardRecognitionData.Parse(answer.AsSpan(0, answer.Length - 2));
        Assert.Equal("9000", Hex.Encode(answer.AsSpan(answer.Length - 2)));
        Assert.Equal(3, recognition.ScpVersion);
        Assert.Equal(0x70, recognition.ScpOption);
        Assert.Equal("2.3.1", recognition.GlobalPlatformVersion);
    }

    [Fact]
    public void GetData_UnknownTag_Answers6A88()
    {
        using var card = TestCards.DefaultScp02();

        Assert.Equal("6A88", card.Send("80CA9F7F00"));
    }

    [Fact]
    public void Select_IssuerSecurityDomain_AnswersFci()
    {
        using var card = TestCards.DefaultScp02();

        var answer = card.Send("00A4040008A00000015100000000");

        Assert.StartsWith("6F", answer, StringComparison.Ordinal);
        Assert.Contains("8408A000000151000000A5", answer, StringComparison.Ordinal);
        Assert.EndsWith("9F6501FF9000", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_OtherAid_Answers6A82()
    {
        using var card = TestCards.DefaultScp02();

        Assert.Equal("6A82", card.Send("00A4040007D0D1D2D3D4D50100"));
    }
}
