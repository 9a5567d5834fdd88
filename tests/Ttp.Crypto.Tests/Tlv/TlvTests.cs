namespace Ttp.Crypto.Tests.Tlv;

public sealed class TlvTests
{
    // kaoh/globalplatform globalplatform/src/getDataTest.c, test_parse_cplc_vector_1 (GET DATA 9F7F response).
    private const string KaohCplcVector1 =
        "9F7F2A4790D6004700000000003244342952208448000000000000000015278234323935320000000000000000";

    // kaoh/globalplatform globalplatform/src/getDataTest.c, test_parse_extended_card_resources (GET DATA FF21 response).
    private const string KaohExtendedCardResources = "FF211081020002820400016DB483040000086A";

    // martinpaljak/GlobalPlatformPro issue #143, SELECT response of the ISD (FCI with card recognition data).
    private const string GpProIssue143SelectResponse =
        "6F658408A000000018434D00A559734A06072A864886FC6B01600C060A2A864886FC6B02020101630906072A864886FC6B03640B" +
        "06092A864886FC6B040105650B06092B8510864864020103660C060A2B060104012A026E01029F6E061291212101009F6501FF";

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/TestParseTags.java, testParseISD (GET STATUS entry).
    private const string GpProTestParseIsd = "E3144F07A00000015100009F700107C50180EA028000";

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/TestParseTags.java, testCPLCTagless.
    private const string GpProCplcTagless = "FF401AE218E116C1144434050D9648B771CB3500D5398D36CE3F1C23A4";

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/TestGPKeyInfo.java,
    // testExtendedKeyTypeTemplateWithZeroLengths: an E0 of 176 bytes, so its length is the long form 81 B0.
    private const string GpProExtendedTemplate =
        "E081B0C00A0120FF80001001000100C00A0220FF80001001000100C00A0320FF80001001000100C00A0101FF80001001000100" +
        "C00A0201FF80001001000100C00A0301FF80001001000100C00A0102FF88001001000100C00E0202FF880010FF10000101000100" +
        "C00A0302FF88001001000100C00A0103FF88001001000100C00E0203FF880010FF10000101000100C00A0303FF88001001000100" +
        "C00A1403FF85001001000100C00A1503FF88001001000100";

    [Fact]
    public void Parse_KaohCplcVector_ReturnsOneTwoByteTagPrimitive()
    {
        var data = Hex.Parse(KaohCplcVector1, "tlv");

        var nodes = BerTlv.Parse(data);

        var cplc = Assert.Single(nodes);
        Assert.Equal(0x9F7F, cplc.Tag);
        Assert.Equal("9F7F", cplc.TagHex);
        Assert.False(cplc.IsConstructed);
        Assert.Equal(42, cplc.Length);
        Assert.Equal(KaohCplcVector1[6..], Hex.Encode(cplc.Value.Span));
        Assert.Empty(cplc.Children);
        Assert.Equal(0, cplc.Offset);
        Assert.Equal(3, cplc.ValueOffset);
    }

    [Fact]
    public void Parse_KaohExtendedCardResources_ReturnsTwoByteConstructedTagWithChildren()
    {
        var data = Hex.Parse(KaohExtendedCardResources, "tlv");

        var resources = Assert.Single(BerTlv.Parse(data));

        Assert.Equal(0xFF21, resources.Tag);
        Assert.True(resources.IsConstructed);
        Assert.Equal(16, resources.Length);
        Assert.Collection(
            resources.Children,
            child => AssertPrimitive(child, 0x81, "0002", offset: 3),
            child => AssertPrimitive(child, 0x82, "00016DB4", offset: 7),
            child => AssertPrimitive(child, 0x83, "0000086A", offset: 13));
    }

    [Fact]
    public void Parse_GpProSelectResponse_ParsesNestedFciRecursively()
    {
        var data = Hex.Parse(GpProIssue143SelectResponse, "tlv");

        var fci = Assert.Single(BerTlv.Parse(data));

        Assert.Equal(0x6F, fci.Tag);
        Assert.Equal(0x65, fci.Length);
        Assert.Equal(2, fci.Children.Count);
        AssertPrimitive(fci.Children[0], 0x84, "A000000018434D00", offset: 2);
        var proprietary = fci.Children[1];
        Assert.Equal(0xA5, proprietary.Tag);
        Assert.Equal(3, proprietary.Children.Count);
        var recognition = proprietary.Find(0x73);
        Assert.NotNull(recognition);
        Assert.Equal(0x4A, recognition.Length);
        Assert.Equal(new[] { 0x06, 0x60, 0x63, 0x64, 0x65, 0x66 }, recognition.Children.Select(child => child.Tag));
        var version = recognition.Find(0x60);
        Assert.NotNull(version);
        AssertPrimitive(Assert.Single(version.Children), 0x06, "2A864886FC6B02020101", version.ValueOffset);
        AssertPrimitive(proprietary.Children[1], 0x9F6E, "129121210100", proprietary.Children[1].Offset);
        AssertPrimitive(proprietary.Children[2], 0x9F65, "FF", data.Length - 4);
    }

    [Fact]
    public void Parse_GpProRegistryEntry_ParsesEmptyConstructedChild()
    {
        var data = Hex.Parse(GpProTestParseIsd, "tlv");

        var entry = Assert.Single(BerTlv.Parse(data));

        Assert.Equal(0xE3, entry.Tag);
        Assert.Collection(
            entry.Children,
            child => AssertPrimitive(child, 0x4F, "A0000001510000", offset: 2),
            child => AssertPrimitive(child, 0x9F70, "07", offset: 11),
            child => AssertPrimitive(child, 0xC5, "80", offset: 15),
            child =>
            {
                Assert.Equal(0xEA, child.Tag);
                Assert.True(child.IsConstructed);
                AssertPrimitive(Assert.Single(child.Children), 0x80, "", offset: 20);
            });
    }

    [Fact]
    public void Parse_GpProCplcTagless_ParsesThreeNestedLevels()
    {
        var data = Hex.Parse(GpProCplcTagless, "tlv");

        var outer = Assert.Single(BerTlv.Parse(data));

        Assert.Equal(0xFF40, outer.Tag);
        var middle = Assert.Single(outer.Children);
        Assert.Equal(0xE2, middle.Tag);
        var inner = Assert.Single(middle.Children);
        Assert.Equal(0xE1, inner.Tag);
        AssertPrimitive(Assert.Single(inner.Children), 0xC1, "4434050D9648B771CB3500D5398D36CE3F1C23A4", offset: 7);
    }

    [Fact]
    public void Parse_GpProTemplateWithLength81_ReadsLongFormLength()
    {
        var data = Hex.Parse(GpProExtendedTemplate, "tlv");

        var template = Assert.Single(BerTlv.Parse(data));

        Assert.Equal(0xE0, template.Tag);
        Assert.Equal(0xB0, template.Length);
        Assert.Equal(3, template.ValueOffset);
        Assert.Equal(14, template.Children.Count);
        Assert.All(template.Children, child => Assert.Equal(0xC0, child.Tag));
    }

    [Fact]
    public void Parse_SeveralTopLevelObjects_ReturnsThemInOrder()
    {
        // GET DATA C1 and CF values from docs/GLOBALPLATFORM.md (C1 from GlobalPlatformPro issue #114; KDD from issue #113).
        var data = Hex.Parse("C10300001ECF0A149480576000078C0100", "tlv");

        var nodes = BerTlv.Parse(data);

        Assert.Equal(2, nodes.Count);
        AssertPrimitive(nodes[0], 0xC1, "00001E", offset: 0);
        AssertPrimitive(nodes[1], 0xCF, "149480576000078C0100", offset: 5);
        Assert.Same(nodes[1], BerTlv.Find(nodes, 0xCF));
        Assert.Null(BerTlv.Find(nodes, 0xE0));
    }

    [Fact]
    public void ParseSingle_ExpectedTag_ReturnsTheObject()
    {
        var data = Hex.Parse("CF0A149480576000078C0100", "tlv");

        var kdd = BerTlv.ParseSingle(data, 0xCF, "kdd");

        Assert.Equal("149480576000078C0100", Hex.Encode(kdd.Value.Span));
    }

    [Fact]
    public void ParseSingle_OtherTag_ThrowsNamingBothTags()
    {
        var data = Hex.Parse("C10300001E", "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.ParseSingle(data, 0xCF, "kdd"));

        Assert.Equal("kdd", error.Field);
        Assert.Equal(0, error.Offset);
        Assert.Contains("expected tag CF, found tag C1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseSingle_SecondObjectAfterIt_Throws()
    {
        var data = Hex.Parse("C10300001EC10300001E", "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.ParseSingle(data, 0xC1));

        Assert.Equal(5, error.Offset);
    }

    [Fact]
    public void Parse_EmptyInput_ThrowsWithoutOffset()
    {
        var error = Assert.Throws<TlvException>(() => BerTlv.Parse([], "card-data"));

        Assert.Equal("card-data", error.Field);
        Assert.Null(error.Offset);
        Assert.Contains("found nothing", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TrailingByte_ThrowsAtItsOffset()
    {
        // openjavacard-tools src/test/java/org/openjavacard/gp/protocol/GPKeyInfoTemplateTest.java, KIT_SCP02_DEFAULT_LONG.
        var data = Hex.Parse("e012c00401ff8010c00402ff8010c00403ff8010FF", "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(20, error.Offset);
        Assert.Contains("second byte is missing", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TrailingTagWithoutLength_Throws()
    {
        var data = Hex.Parse("C10300001EC1", "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(5, error.Offset);
        Assert.Contains("tag C1 has no length byte", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TruncatedValue_ThrowsNamingDeclaredAndRemainingBytes()
    {
        // openjavacard-tools GPKeyInfoTemplateTest.java, KIT_SCP02_DEFAULT_SHORT: E0 declares 18 bytes, 17 follow.
        var data = Hex.Parse("e012c00401ff8010c00402ff8010c00403ff80", "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(1, error.Offset);
        Assert.Contains("tag E0 declares 18 value bytes but only 17 remain", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LengthLongerThanData_Throws()
    {
        var data = Hex.Parse("C1030000", "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(1, error.Offset);
        Assert.Contains("declares 3 value bytes but only 2 remain", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ChildRunsPastItsParent_Throws()
    {
        var data = Hex.Parse("E004C0050102", "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(3, error.Offset);
        Assert.Contains("tag C0 declares 5 value bytes but only 2 remain", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ChildLeavesBytesInItsParent_Throws()
    {
        var data = Hex.Parse("E005C0020102FF", "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(6, error.Offset);
    }

    [Fact]
    public void Parse_IndefiniteLength_Throws()
    {
        var data = Hex.Parse("E080C00401FF80100000", "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(1, error.Offset);
        Assert.Contains("indefinite length", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C183000002ABCD")]
    [InlineData("C18400000002ABCD")]
    [InlineData("C1FF")]
    public void Parse_LengthFormBeyond82_Throws(string hex)
    {
        var data = Hex.Parse(hex, "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(1, error.Offset);
        Assert.Contains("only 00-7F, 81 and 82", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C181020001")]
    [InlineData("C1817F" + "00")]
    [InlineData("C1820002ABCD")]
    [InlineData("C18200FF")]
    public void Parse_NonMinimalLength_Throws(string hex)
    {
        var data = Hex.Parse(hex, "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(1, error.Offset);
        Assert.Contains("non-minimal length", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C181")]
    [InlineData("C182")]
    [InlineData("C18201")]
    public void Parse_LongLengthMissingBytes_Throws(string hex)
    {
        var data = Hex.Parse(hex, "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(1, error.Offset);
    }

    [Fact]
    public void Parse_ThreeByteTag_Throws()
    {
        var data = Hex.Parse("5F81010100", "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(0, error.Offset);
        Assert.Contains("three or more bytes", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoByteTagWithSmallNumber_Throws()
    {
        var data = Hex.Parse("1F050100", "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(0, error.Offset);
        Assert.Contains("one-byte form", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ZeroTagByte_Throws()
    {
        var data = Hex.Parse("C10100" + "00", "tlv");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Equal(3, error.Offset);
        Assert.Contains("padding", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DEADBEEF")]
    [InlineData("FFFFFFFF")]
    [InlineData("3082")]
    public void Parse_Garbage_Throws(string hex)
    {
        var data = Hex.Parse(hex, "tlv");

        Assert.Throws<TlvException>(() => BerTlv.Parse(data));
    }

    [Fact]
    public void Parse_NestingDeeperThanLimit_Throws()
    {
        var data = Nest(BerTlv.MaxDepth + 1);

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data));

        Assert.Contains("nest more than", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestingAtLimit_Parses()
    {
        var data = Nest(BerTlv.MaxDepth);

        var node = Assert.Single(BerTlv.Parse(data));
        var depth = 1;
        while (node.Children.Count > 0)
        {
            node = Assert.Single(node.Children);
            depth++;
        }

        Assert.Equal(BerTlv.MaxDepth, depth);
    }

    [Fact]
    public void Parse_ErrorMessage_NamesOffsetButNotTheData()
    {
        var data = Hex.Parse("CF0A1494805760", "kdd");

        var error = Assert.Throws<TlvException>(() => BerTlv.Parse(data, "kdd"));

        Assert.Equal("kdd: at offset 1: tag CF declares 10 value bytes but only 5 remain", error.Message);
        Assert.DoesNotContain("1494805760", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "C100")]
    [InlineData(1, "C101")]
    [InlineData(127, "C17F")]
    [InlineData(128, "C18180")]
    [InlineData(255, "C181FF")]
    [InlineData(256, "C1820100")]
    [InlineData(65535, "C182FFFF")]
    public void Encode_ValueLength_UsesMinimalLengthAndRoundTrips(int length, string expectedHeader)
    {
        var value = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();

        var encoded = BerTlv.Encode(0xC1, value);

        Assert.Equal(expectedHeader, Hex.Encode(encoded.AsSpan(0, expectedHeader.Length / 2)));
        Assert.Equal(expectedHeader.Length / 2 + length, encoded.Length);
        var node = Assert.Single(BerTlv.Parse(encoded));
        Assert.Equal(0xC1, node.Tag);
        Assert.Equal(value, node.Value.ToArray());
    }

    [Fact]
    public void Encode_TwoByteTagWithLength82_RoundTrips()
    {
        var url = Enumerable.Repeat((byte)'a', 300).ToArray();

        var encoded = BerTlv.Encode(0x5F50, url);

        Assert.Equal("5F5082012C", Hex.Encode(encoded.AsSpan(0, 5)));
        var node = Assert.Single(BerTlv.Parse(encoded));
        Assert.Equal(0x5F50, node.Tag);
        Assert.Equal(300, node.Length);
    }

    [Fact]
    public void Encode_ValueLongerThan65535_Throws()
    {
        var value = new byte[65536];

        Assert.Throws<TlvException>(() => BerTlv.Encode(0xC1, value));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0x1F)]
    [InlineData(0x5F)]
    [InlineData(0x5F05)]
    [InlineData(0x5F81)]
    [InlineData(0x4F50)]
    [InlineData(0x10000)]
    [InlineData(-1)]
    public void Encode_InvalidTag_ThrowsArgumentOutOfRange(int tag)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BerTlv.Encode(tag, [0x01]));
    }

    [Fact]
    public void Encode_ConstructedTagWithMalformedValue_Throws()
    {
        Assert.Throws<TlvException>(() => BerTlv.Encode(0xE0, [0xC0, 0x05, 0x01]));
    }

    [Fact]
    public void EncodeConstructed_GpProTemplateEntries_RebuildsThePublishedTemplate()
    {
        // Rebuilds the 176-byte E0 of GlobalPlatformPro TestGPKeyInfo.java from its 14 C0 entries: the 81 B0 form.
        var published = Hex.Parse(GpProExtendedTemplate, "tlv");
        var entries = Assert.Single(BerTlv.Parse(published)).Children
            .Select(child => BerTlv.Encode(child.Tag, child.Value.Span))
            .ToArray();

        var encoded = BerTlv.EncodeConstructed(0xE0, entries);

        Assert.Equal(published, encoded);
    }

    [Fact]
    public void EncodeConstructed_LongValue_UsesLength82AndRoundTrips()
    {
        var children = Enumerable.Range(0, 40)
            .Select(i => BerTlv.Encode(0xC0, Enumerable.Repeat((byte)i, 10).ToArray()))
            .ToArray();

        var encoded = BerTlv.EncodeConstructed(0xE0, children);

        Assert.Equal("E08201E0", Hex.Encode(encoded.AsSpan(0, 4)));
        var template = Assert.Single(BerTlv.Parse(encoded));
        Assert.Equal(40, template.Children.Count);
        Assert.Equal(Enumerable.Repeat((byte)39, 10).ToArray(), template.Children[39].Value.ToArray());
    }

    [Fact]
    public void EncodeConstructed_PrimitiveTag_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BerTlv.EncodeConstructed(0xC0, BerTlv.Encode(0xC1, [0x00, 0x01])));
    }

    [Fact]
    public void EncodeConstructed_MalformedChild_Throws()
    {
        Assert.Throws<TlvException>(() => BerTlv.EncodeConstructed(0xE0, new byte[] { 0xC0, 0x02, 0x01 }));
    }

    [Theory]
    [InlineData("2A864886FC6B01", "1.2.840.114283.1")]
    [InlineData("2A864886FC6B02020201", "1.2.840.114283.2.2.2.1")]
    [InlineData("2A864886FC6B040370", "1.2.840.114283.4.3.112")]
    [InlineData("2B8510864864020103", "1.3.656.840.100.2.1.3")]
    [InlineData("2B060104012A026E0102", "1.3.6.1.4.1.42.2.110.1.2")]
    [InlineData("2A864886FC6B04119B06", "1.2.840.114283.4.17.3462")]
    public void DecodeObjectIdentifier_PublishedOids_ReturnsDottedForm(string contents, string expected)
    {
        // GlobalPlatformPro issue #114 (60 and 64 decoded as 1.2.840.114283.2.2.2.1 and 1.2.840.114283.4.3.112),
        // the GPPro trace on http://djcxy.com/p/92102.html (TAG5 1.3.656.840.100.2.1.3, TAG6 1.3.6.1.4.1.42.2.110.1.2)
        // and kaoh/globalplatform getDataTest.c multibyte vector (SCP 11, option value 3462).
        var bytes = Hex.Parse(contents, "oid");

        var oid = BerTlv.DecodeObjectIdentifier(bytes);

        Assert.Equal(expected, oid);
    }

    [Fact]
    public void DecodeObjectIdentifierArcs_FirstSubIdentifierAbove80_SplitsUnderArc2()
    {
        // ISO/IEC 8825-1 8.19.4: 2.999 is encoded as the single sub-identifier 1079 (88 37).
        var arcs = BerTlv.DecodeObjectIdentifierArcs([0x88, 0x37, 0x03]);

        Assert.Equal(new long[] { 2, 999, 3 }, arcs);
    }

    [Fact]
    public void DecodeObjectIdentifier_SubIdentifierStartingWith80_Throws()
    {
        // GlobalPlatformPro TestParseTags.java testOther, second card: SCP 80 written as the raw bytes 80 00.
        var bytes = Hex.Parse("2A864886FC6B048000", "oid");

        var error = Assert.Throws<TlvException>(() => BerTlv.DecodeObjectIdentifier(bytes));

        Assert.Contains("byte 7 starts with 80", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2A86")]
    [InlineData("2A864886FC")]
    public void DecodeObjectIdentifier_EmptyOrTruncated_Throws(string contents)
    {
        var bytes = Convert.FromHexString(contents);

        Assert.Throws<TlvException>(() => BerTlv.DecodeObjectIdentifier(bytes, "oid"));
    }

    [Fact]
    public void DecodeObjectIdentifier_SubIdentifierTooLarge_Throws()
    {
        var bytes = Hex.Parse("2A" + string.Concat(Enumerable.Repeat("FF", 10)) + "7F", "oid");

        var error = Assert.Throws<TlvException>(() => BerTlv.DecodeObjectIdentifier(bytes));

        Assert.Contains("too large", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x06, "06")]
    [InlineData(0xE0, "E0")]
    [InlineData(0x5F50, "5F50")]
    [InlineData(0x9F7F, "9F7F")]
    public void FormatTag_OneAndTwoByteTags_ReturnsUppercaseHex(int tag, string expected)
    {
        Assert.Equal(expected, BerTlv.FormatTag(tag));
    }

    [Theory]
    [InlineData(0xE0, true)]
    [InlineData(0x73, true)]
    [InlineData(0xFF21, true)]
    [InlineData(0xC0, false)]
    [InlineData(0x5F50, false)]
    [InlineData(0x9F7F, false)]
    public void IsConstructedTag_Tags_ReadsBit6OfTheFirstByte(int tag, bool expected)
    {
        Assert.Equal(expected, BerTlv.IsConstructedTag(tag));
    }

    private static void AssertPrimitive(TlvNode node, int tag, string valueHex, int offset)
    {
        Assert.Equal(tag, node.Tag);
        Assert.False(node.IsConstructed);
        Assert.Equal(valueHex, Hex.Encode(node.Value.Span));
        Assert.Equal(offset, node.Offset);
    }

    private static byte[] Nest(int levels)
    {
        // levels constructed E0 objects, each holding the next; the innermost is empty.
        var data = new byte[levels * 2];
        for (var level = 0; level < levels; level++)
        {
            data[level * 2] = 0xE0;
            data[(level * 2) + 1] = (byte)((levels - level - 1) * 2);
        }

        return data;
    }
}
