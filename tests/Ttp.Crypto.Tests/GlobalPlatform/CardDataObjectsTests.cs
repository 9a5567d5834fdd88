using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Crypto.Tests.GlobalPlatform;

public sealed class CardDataObjectsTests
{
    [Theory]
    [InlineData("149480576000078C0100")] // GlobalPlatformPro issue #113: first 10 bytes of the INITIALIZE UPDATE response; docs/GLOBALPLATFORM.md
    [InlineData("00003266201710208650")] // docs/GLOBALPLATFORM.md, real example
    public void ParseKeyDiversificationData_TenBytes_ReturnsThem(string hex)
    {
        var value = Hex.Parse(hex, "kdd");

        var kdd = CardDataObjects.ParseKeyDiversificationData(value);

        Assert.Equal(value, kdd);
        Assert.NotSame(value, kdd);
    }

    [Fact]
    public void ParseKeyDiversificationData_ValueOfCfObject_ReturnsTenBytes()
    {
        // The same KDD as a GET DATA 00CF response (CF 0A ..., docs/GLOBALPLATFORM.md).
        var response = Hex.Parse("CF0A149480576000078C0100", "kdd");
        var node = BerTlv.ParseSingle(response, GpTags.KeyDiversificationData);

        var kdd = CardDataObjects.ParseKeyDiversificationData(node.Value.Span);

        Assert.Equal("149480576000078C0100", Hex.Encode(kdd));
    }

    [Theory]
    [InlineData("")]
    [InlineData("149480576000078C01")]
    [InlineData("149480576000078C010000")]
    [InlineData("CF0A149480576000078C0100")]
    public void ParseKeyDiversificationData_NotTenBytes_ThrowsNamingTheLength(string hex)
    {
        var value = Convert.FromHexString(hex);

        var error = Assert.Throws<CryptoInputException>(() => CardDataObjects.ParseKeyDiversificationData(value));

        Assert.Equal("key-diversification-data", error.Field);
        Assert.Equal($"expected key diversification data of 10 bytes, found {value.Length} bytes", error.Reason);
    }

    [Theory]
    [InlineData("00001E", 30)] // GlobalPlatformPro issue #114, GET DATA 00C1 response C1 03 00001E (SCP03); docs/GLOBALPLATFORM.md
    [InlineData("00C5", 197)] // http://ctskinner.blogspot.com/2011/10/globalplatform-card-key-id-versions.html, C1 02 00C5 (SCP02)
    [InlineData("FFFFFF", 0xFFFFFF)]
    public void ParseSequenceCounter_TwoOrThreeBytes_ReturnsCounter(string hex, int expected)
    {
        var value = Hex.Parse(hex, "counter");

        var counter = CardDataObjects.ParseSequenceCounter(value);

        Assert.Equal(expected, counter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1E")]
    [InlineData("0000001E")]
    public void ParseSequenceCounter_OtherLength_Throws(string hex)
    {
        var value = Convert.FromHexString(hex);

        var error = Assert.Throws<CryptoInputException>(() => CardDataObjects.ParseSequenceCounter(value, "c1"));

        Assert.Equal("c1", error.Field);
        Assert.Contains($"found {value.Length} bytes", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseIssuerIdentificationNumber_GlobalPlatformMdExample_ReturnsValue()
    {
        // docs/GLOBALPLATFORM.md: 42 03 000000.
        var node = BerTlv.ParseSingle(Hex.Parse("4203000000", "iin"), GpTags.IssuerIdentificationNumber);

        var iin = CardDataObjects.ParseIssuerIdentificationNumber(node.Value.Span);

        Assert.Equal(new byte[] { 0x00, 0x00, 0x00 }, iin);
    }

    [Fact]
    public void ParseCardImageNumber_GlobalPlatformMdExample_ReturnsValue()
    {
        // docs/GLOBALPLATFORM.md: 45 02 0000.
        var node = BerTlv.ParseSingle(Hex.Parse("45020000", "cin"), GpTags.CardImageNumber);

        var cin = CardDataObjects.ParseCardImageNumber(node.Value.Span);

        Assert.Equal(new byte[] { 0x00, 0x00 }, cin);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void ParseIssuerIdentificationNumber_EmptyOrTooLong_Throws(int length)
    {
        var value = new byte[length];

        var error = Assert.Throws<CryptoInputException>(() => CardDataObjects.ParseIssuerIdentificationNumber(value));

        Assert.Equal("issuer-identification-number", error.Field);
        Assert.Equal($"expected an issuer identification number of 1 to 16 bytes, found {length} bytes", error.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void ParseCardImageNumber_EmptyOrTooLong_Throws(int length)
    {
        var value = new byte[length];

        var error = Assert.Throws<CryptoInputException>(() => CardDataObjects.ParseCardImageNumber(value));

        Assert.Equal("card-image-number", error.Field);
    }

    [Fact]
    public void ParseIssuerIdentificationNumber_SixteenBytes_ReturnsValue()
    {
        var value = new byte[16];

        var iin = CardDataObjects.ParseIssuerIdentificationNumber(value);

        Assert.Equal(16, iin.Length);
    }
}
