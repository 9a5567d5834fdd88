using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Crypto.Tests.GlobalPlatform;

public sealed class CardRecognitionDataTests
{
    private const string GpRoot = "1.2.840.114283";

    // martinpaljak/GlobalPlatformPro issue #114 (Oberthur COSMO 8.1, GET DATA 0066), also in docs/GLOBALPLATFORM.md;
    // GPPro printed it as GP Version 2.2.1, GP SCP03 i=70.
    private const string GpProIssue114CardData =
        "6631732F06072A864886FC6B01600C060A2A864886FC6B02020201630906072A864886FC6B03640B06092A864886FC6B040370";

    // OpenJavaCard/openjavacard-tools src/test/java/org/openjavacard/gp/protocol/GPCardDataTest.java, CD_GP211_BYTES.
    private const string OpenJavaCardGp211 =
        "664c734a06072a864886fc6b01600c060a2a864886fc6b02020101630906072a" +
        "864886fc6b03640b06092a864886fc6b040215650b06092b8510864864020103" +
        "660c060a2b060104012a026e0102";

    [Fact]
    public void Parse_GpProIssue114_ReturnsGp221Scp03Option70()
    {
        var data = Hex.Parse(GpProIssue114CardData, "card-data");

        var card = CardRecognitionData.Parse(data);

        Assert.Equal("2.2.1", card.GlobalPlatformVersion);
        Assert.Equal(GpRoot + ".2.2.2.1", card.CardManagementTypeAndVersion);
        Assert.Equal(GpRoot + ".3", card.CardIdentificationScheme);
        Assert.Equal(3, card.ScpVersion);
        Assert.Equal(0x70, card.ScpOption);
        Assert.Equal(new[] { new CardRecognitionSecureChannel(0x03, 0x70) }, card.SecureChannelProtocols);
        Assert.Equal("SCP03 i=70", card.SecureChannelProtocols[0].ToString());
        Assert.Null(card.CardConfigurationDetails);
        Assert.Null(card.CardChipDetails);
        Assert.Equal(
            new[] { GpRoot + ".1", GpRoot + ".2.2.2.1", GpRoot + ".3", GpRoot + ".4.3.112" },
            card.Oids);
    }

    [Fact]
    public void Parse_OpenJavaCardGp211_ReturnsGp211Scp02Option15()
    {
        // GPCardDataTest.testParse: GlobalPlatform, uniquely identifiable, version 2.1.1, protocol 0x02, parameters 0x15.
        // The same card data appears in the GPPro trace on http://djcxy.com/p/92102.html (TAG5/TAG6 OIDs below).
        var data = Hex.Parse(OpenJavaCardGp211, "card-data");

        var card = CardRecognitionData.Parse(data);

        Assert.Equal("2.1.1", card.GlobalPlatformVersion);
        Assert.Equal(GpRoot + ".2.2.1.1", card.CardManagementTypeAndVersion);
        Assert.Equal(GpRoot + ".3", card.CardIdentificationScheme);
        Assert.Equal(0x02, card.ScpVersion);
        Assert.Equal(0x15, card.ScpOption);
        Assert.Equal("1.3.656.840.100.2.1.3", card.CardConfigurationDetails);
        Assert.Equal("1.3.6.1.4.1.42.2.110.1.2", card.CardChipDetails);
        Assert.Equal(
            new[] { GpRoot + ".1", GpRoot + ".2.2.1.1", GpRoot + ".3", GpRoot + ".4.2.21", "1.3.656.840.100.2.1.3", "1.3.6.1.4.1.42.2.110.1.2" },
            card.Oids);
    }

    [Fact]
    public void Parse_OpenJavaCardGp211Short_Throws()
    {
        // GPCardDataTest.java CD_GP211_SHORT (rejected there too): the last byte is missing.
        var data = Hex.Parse(OpenJavaCardGp211[..^2], "card-data");

        var error = Assert.Throws<TlvException>(() => CardRecognitionData.Parse(data));

        Assert.Equal("card-data", error.Field);
        Assert.Equal(1, error.Offset);
    }

    [Fact]
    public void Parse_OpenJavaCardGp211Long_Throws()
    {
        // GPCardDataTest.java CD_GP211_LONG (rejected there too): a trailing FF.
        var data = Hex.Parse(OpenJavaCardGp211 + "FF", "card-data");

        var error = Assert.Throws<TlvException>(() => CardRecognitionData.Parse(data));

        Assert.Equal(78, error.Offset);
    }

    [Fact]
    public void Parse_KaohVector1_ReturnsScp03Option70AndDetails()
    {
        // kaoh/globalplatform globalplatform/src/getDataTest.c, test_parse_card_recognition_vector_1.
        // kaoh reports version "2.2.3" for 1.2.840.114283.2.2.3; this parser reads the version as the arcs after
        // {globalPlatform 2}, which gives "2.3" here and agrees with every other published vector (2.2.2.1 -> 2.2.1 in
        // GPPro issue 114, 2.2.1.1 -> 2.1.1 in openjavacard, and kaoh's own 2.2.3.1 -> 2.3.1 below).
        var data = Hex.Parse(
            "664D734B06072A864886FC6B01600B06092A864886FC6B020203630906072A864886FC6B03640B06092A864886FC6B040370" +
            "650D060B2A864886FC6B0507020000660C060A2B060104012A026E0103",
            "card-data");

        var card = CardRecognitionData.Parse(data);

        Assert.Equal(GpRoot + ".2.2.3", card.CardManagementTypeAndVersion);
        Assert.Equal("2.3", card.GlobalPlatformVersion);
        Assert.Equal(GpRoot + ".3", card.CardIdentificationScheme);
        Assert.Equal(new[] { new CardRecognitionSecureChannel(0x03, 0x70) }, card.SecureChannelProtocols);
        Assert.Equal(GpRoot + ".5.7.2.0.0", card.CardConfigurationDetails);
        Assert.Equal("1.3.6.1.4.1.42.2.110.1.3", card.CardChipDetails);
    }

    [Fact]
    public void Parse_KaohVector2_ReturnsScp02Option55()
    {
        // kaoh/globalplatform getDataTest.c, test_parse_card_recognition_vector_2 (SCP 02, i = 55).
        var data = Hex.Parse(
            "664D734B06072A864886FC6B01600B06092A864886FC6B020203630906072A864886FC6B03640B06092A864886FC6B040255" +
            "650D060B2A864886FC6B0507020000660C060A2B060104012A026E0103",
            "card-data");

        var card = CardRecognitionData.Parse(data);

        Assert.Equal(0x02, card.ScpVersion);
        Assert.Equal(0x55, card.ScpOption);
        Assert.Equal("SCP02 i=55", card.SecureChannelProtocols[0].ToString());
        Assert.Equal(GpRoot + ".5.7.2.0.0", card.CardConfigurationDetails);
        Assert.Equal("1.3.6.1.4.1.42.2.110.1.3", card.CardChipDetails);
    }

    [Fact]
    public void Parse_KaohMultibyteScpOption_ReturnsBothProtocols()
    {
        // kaoh/globalplatform getDataTest.c, test_parse_card_recognition_vector_multibyte_scp_impl:
        // version 2.3.1, SCP 03 i=60, then SCP 11 with a two-byte option 9B 06 = 3462.
        var data = Hex.Parse(
            "663F733D06072A864886FC6B01600C060A2A864886FC6B02020301630906072A864886FC6B03640B06092A864886FC6B040360" +
            "640C060A2A864886FC6B04119B06",
            "card-data");

        var card = CardRecognitionData.Parse(data);

        Assert.Equal("2.3.1", card.GlobalPlatformVersion);
        Assert.Equal(
            new[] { new CardRecognitionSecureChannel(0x03, 0x60), new CardRecognitionSecureChannel(0x11, 3462) },
            card.SecureChannelProtocols);
        Assert.Equal(0x03, card.ScpVersion);
        Assert.Equal(0x60, card.ScpOption);
        Assert.Null(card.CardConfigurationDetails);
        Assert.Null(card.CardChipDetails);
    }

    [Fact]
    public void Parse_RecognitionDataFromGpProSelectResponse_ReturnsGp211Scp01Option05()
    {
        // martinpaljak/GlobalPlatformPro issue #143: the 73 inside the ISD's SELECT response (FCI 6F > A5 > 73).
        var response = Hex.Parse(
            "6F658408A000000018434D00A559734A06072A864886FC6B01600C060A2A864886FC6B02020101630906072A864886FC6B03640B" +
            "06092A864886FC6B040105650B06092B8510864864020103660C060A2B060104012A026E01029F6E061291212101009F6501FF",
            "fci");
        var recognition = BerTlv.Parse(response)[0].Find(0xA5)!.Find(0x73)!;
        var data = response.AsSpan(recognition.Offset, recognition.ValueOffset - recognition.Offset + recognition.Length);

        var card = CardRecognitionData.Parse(data);

        Assert.Equal("2.1.1", card.GlobalPlatformVersion);
        Assert.Equal(0x01, card.ScpVersion);
        Assert.Equal(0x05, card.ScpOption);
        Assert.Equal("1.3.656.840.100.2.1.3", card.CardConfigurationDetails);
        Assert.Equal("1.3.6.1.4.1.42.2.110.1.2", card.CardChipDetails);
    }

    [Fact]
    public void Parse_GpProTestParseTagsScp80WrittenRaw_Throws()
    {
        // martinpaljak/GlobalPlatformPro TestParseTags.java testOther, second card data: a second 64 holds
        // 2A864886FC6B048000 (SCP 80 written as raw bytes, not a valid OID encoding), so the whole is rejected.
        var data = Hex.Parse(
            "6657735506072A864886FC6B01600B06092A864886FC6B020202630906072A864886FC6B03640B06092A864886FC6B040370" +
            "640B06092A864886FC6B048000650A06082A864886FC6B0504660C060A2B060104012A026E0103",
            "card-data");

        var error = Assert.Throws<TlvException>(() => CardRecognitionData.Parse(data));

        Assert.Contains("starts with 80", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyInput_Throws()
    {
        var error = Assert.Throws<TlvException>(() => CardRecognitionData.Parse([]));

        Assert.Null(error.Offset);
    }

    [Fact]
    public void Parse_OtherTopLevelTag_Throws()
    {
        var data = Hex.Parse("E012C00401018820C00402018820C00403018820", "card-data");

        var error = Assert.Throws<TlvException>(() => CardRecognitionData.Parse(data));

        Assert.Equal(0, error.Offset);
        Assert.Contains("expected tag 66 (card data) or 73 (card recognition data), found tag E0", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CardDataWithoutRecognitionData_Throws()
    {
        var data = Hex.Parse("660906072A864886FC6B01", "card-data");

        var error = Assert.Throws<TlvException>(() => CardRecognitionData.Parse(data));

        Assert.Equal(2, error.Offset);
    }

    [Fact]
    public void Parse_RecognitionDataNotStartingWithGlobalPlatformOid_Throws()
    {
        var data = Hex.Parse("730B06092A864886FC6B040370", "card-data");

        var error = Assert.Throws<TlvException>(() => CardRecognitionData.Parse(data));

        Assert.Equal(2, error.Offset);
        Assert.Contains("{globalPlatform 1}", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyRecognitionData_Throws()
    {
        var data = Hex.Parse("6602" + "7300", "card-data");

        Assert.Throws<TlvException>(() => CardRecognitionData.Parse(data));
    }

    [Fact]
    public void Parse_UnexpectedElement_Throws()
    {
        var data = Hex.Parse("731406072A864886FC6B01" + "610906072A864886FC6B03", "card-data");

        var error = Assert.Throws<TlvException>(() => CardRecognitionData.Parse(data));

        Assert.Equal(11, error.Offset);
        Assert.Contains("unexpected tag 61", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RepeatedVersionElement_Throws()
    {
        var version = "600C060A2A864886FC6B02020201";
        var data = Hex.Parse("732506072A864886FC6B01" + version + version, "card-data");

        var error = Assert.Throws<TlvException>(() => CardRecognitionData.Parse(data));

        Assert.Equal(25, error.Offset);
        Assert.Contains("more than once", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ElementWithoutSingleOid_Throws()
    {
        var data = Hex.Parse("731006072A864886FC6B01" + "6305C1030000FF", "card-data");

        var error = Assert.Throws<TlvException>(() => CardRecognitionData.Parse(data));

        Assert.Contains("exactly one OID", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("640A06082A864886FC6B0403")] // {globalPlatform 4 3}: the option is missing
    [InlineData("640C060A2A864886FC6B04037001")] // {globalPlatform 4 3 112 1}: one arc too many
    [InlineData("640B06092A864886FC6B050370")] // {globalPlatform 5 3 112}: not the SCP branch
    public void Parse_SecureChannelOidNotGp4ScpI_Throws(string element)
    {
        var data = Hex.Parse($"73{(9 + (element.Length / 2)):X2}06072A864886FC6B01{element}", "card-data");

        var error = Assert.Throws<TlvException>(() => CardRecognitionData.Parse(data));

        Assert.Contains("{globalPlatform 4 scp i}", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_VersionOidNotGp2_Throws()
    {
        var data = Hex.Parse("731406072A864886FC6B01" + "600906072A864886FC6B03", "card-data");

        var error = Assert.Throws<TlvException>(() => CardRecognitionData.Parse(data));

        Assert.Contains("{globalPlatform 2 v}", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OnlyGlobalPlatformOid_ReturnsNoVersionNoProtocol()
    {
        var data = Hex.Parse("730906072A864886FC6B01", "card-data");

        var card = CardRecognitionData.Parse(data);

        Assert.Null(card.GlobalPlatformVersion);
        Assert.Null(card.CardIdentificationScheme);
        Assert.Null(card.ScpVersion);
        Assert.Null(card.ScpOption);
        Assert.Empty(card.SecureChannelProtocols);
        Assert.Equal(new[] { GpRoot + ".1" }, card.Oids);
    }
}
