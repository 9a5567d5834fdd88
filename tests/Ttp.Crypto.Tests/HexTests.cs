namespace Ttp.Crypto.Tests;

public class HexTests
{
    [Theory]
    [InlineData("00FFa0Bc")]
    [InlineData("00ffa0bc")]
    [InlineData("00FFA0BC")]
    public void Parse_EitherCase_ReturnsBytes(string text)
    {
        var bytes = Hex.Parse(text, "data");

        Assert.Equal(new byte[] { 0x00, 0xFF, 0xA0, 0xBC }, bytes);
    }

    [Fact]
    public void Encode_Bytes_ReturnsUppercase()
    {
        var text = Hex.Encode(new byte[] { 0x0A, 0xBC, 0xDE, 0xF0 });

        Assert.Equal("0ABCDEF0", text);
    }

    [Fact]
    public void Parse_OddNumberOfDigits_ThrowsNamingField()
    {
        var error = Assert.Throws<CryptoInputException>(() => Hex.Parse("ABC", "kdd"));

        Assert.Equal("kdd", error.Field);
        Assert.Contains("even number", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0G")]
    [InlineData("00 11")]
    [InlineData("0x11")]
    [InlineData("１２")]
    public void Parse_NonHexCharacter_ThrowsNamingField(string text)
    {
        var error = Assert.Throws<CryptoInputException>(() => Hex.Parse(text, "master-key"));

        Assert.Equal("master-key", error.Field);
    }

    [Fact]
    public void Parse_NonHexCharacter_MessageGivesPositionNotValue()
    {
        var error = Assert.Throws<CryptoInputException>(() => Hex.Parse("0011Z2", "master-key"));

        Assert.Contains("position 5", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("0011", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Parse_NothingGiven_ThrowsNamingField(string? text)
    {
        var error = Assert.Throws<CryptoInputException>(() => Hex.Parse(text, "kdd"));

        Assert.Equal("kdd", error.Field);
    }

    [Fact]
    public void Parse_ExpectedLength_ReturnsBytes()
    {
        var bytes = Hex.Parse("00010203040506070809", "kdd", 10);

        Assert.Equal(10, bytes.Length);
    }

    [Fact]
    public void Parse_WrongLength_ThrowsWithExpectedAndFoundLengths()
    {
        var error = Assert.Throws<CryptoInputException>(() => Hex.Parse("000102030405060708", "kdd", 10));

        Assert.Equal("kdd", error.Field);
        Assert.Contains("expected 10 bytes", error.Reason, StringComparison.Ordinal);
        Assert.Contains("found 9 bytes", error.Reason, StringComparison.Ordinal);
    }
}
