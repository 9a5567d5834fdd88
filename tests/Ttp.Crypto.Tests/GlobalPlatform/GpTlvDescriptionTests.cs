using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Crypto.Tests.GlobalPlatform;

public sealed class GpTlvDescriptionTests
{
    [Fact]
    public void Describe_GpProIssue114CardData_NamesAndInterpretsEveryElement()
    {
        // martinpaljak/GlobalPlatformPro issue #114, GET DATA 0066 (also in docs/GLOBALPLATFORM.md).
        var nodes = BerTlv.Parse(Hex.Parse(
            "6631732F06072A864886FC6B01600C060A2A864886FC6B02020201630906072A864886FC6B03640B06092A864886FC6B040370",
            "tlv"));

        var description = GpTlvDescription.Describe(nodes);

        var cardData = Assert.Single(description);
        Assert.Equal(new TlvDescription(0, "66", "Card Data", true, 0x31, null, "GlobalPlatform 2.2.1, SCP03 i=70", cardData.Children), cardData);
        var recognition = Assert.Single(cardData.Children!);
        Assert.Equal("73", recognition.Tag);
        Assert.Equal("Card Recognition Data", recognition.Name);
        Assert.Equal("GlobalPlatform 2.2.1, SCP03 i=70", recognition.Interpretation);
        var elements = recognition.Children!;
        Assert.Equal(4, elements.Count);
        Assert.Equal(new TlvDescription(4, "06", "Object Identifier", false, 7, "2A864886FC6B01", "1.2.840.114283.1", null), elements[0]);
        Assert.Equal("Card Management Type and Version", elements[1].Name);
        Assert.Equal("GlobalPlatform 2.2.1 (1.2.840.114283.2.2.2.1)", elements[1].Interpretation);
        Assert.Equal(new TlvDescription(15, "06", "Object Identifier", false, 10, "2A864886FC6B02020201", "1.2.840.114283.2.2.2.1", null), Assert.Single(elements[1].Children!));
        Assert.Equal("Card Identification Scheme", elements[2].Name);
        Assert.Equal("1.2.840.114283.3", elements[2].Interpretation);
        Assert.Equal("Secure Channel Protocol", elements[3].Name);
        Assert.Equal("SCP03 i=70 (1.2.840.114283.4.3.112)", elements[3].Interpretation);
    }

    [Fact]
    public void Describe_GpProIssue114KeyTemplate_ListsKeys()
    {
        // martinpaljak/GlobalPlatformPro issue #114, GET DATA 00E0 (also in docs/GLOBALPLATFORM.md).
        var nodes = BerTlv.Parse(Hex.Parse("E012C00401018820C00402018820C00403018820", "tlv"));

        var template = Assert.Single(GpTlvDescription.Describe(nodes));

        Assert.Equal("Key Information Template", template.Name);
        Assert.Equal("3 key(s), key version number(s) 01", template.Interpretation);
        Assert.Null(template.Value);
        Assert.Equal(
            new TlvDescription(2, "C0", "Key Information Data", false, 4, "01018820", "key id 01, key version 01, 88 AES, 32 bytes", null),
            template.Children![0]);
    }

    [Fact]
    public void Describe_GpProExtendedRsaEntry_ShowsComponentsUsageAndAccess()
    {
        // martinpaljak/GlobalPlatformPro TestGPKeyInfo.java testExtendedRSAKeyTemplate, the extended entry.
        var nodes = BerTlv.Parse(Hex.Parse("C00D0173FFA10080A0000301840100", "tlv"));

        var entry = Assert.Single(GpTlvDescription.Describe(nodes));

        Assert.Equal(
            "key id 01, key version 73, FFA1 RSA public key, modulus N, 128 bytes + A0 RSA public key, exponent e, 3 bytes, usage 84, access 00",
            entry.Interpretation);
    }

    [Fact]
    public void Describe_KddAndSequenceCounter_SplitsKddAndReadsCounter()
    {
        // KDD: GlobalPlatformPro issue #113 (INITIALIZE UPDATE response); C1: issue #114. Both in docs/GLOBALPLATFORM.md.
        var nodes = BerTlv.Parse(Hex.Parse("CF0A149480576000078C0100C10300001E", "tlv"));

        var description = GpTlvDescription.Describe(nodes);

        Assert.Equal(
            new TlvDescription(0, "CF", "Key Diversification Data", false, 10, "149480576000078C0100", "KMC ID 149480576000, CSN 078C0100 (EMV CPS 1.1 reading)", null),
            description[0]);
        Assert.Equal(
            new TlvDescription(12, "C1", "Sequence Counter", false, 3, "00001E", "sequence counter 30", null),
            description[1]);
    }

    [Fact]
    public void Describe_SecurityDomainManagerUrl_ShowsAscii()
    {
        // Not a published vector: an illustrative URL (no published 5F50 value was found).
        var url = "https://ttp.example/sd"u8.ToArray();
        var nodes = BerTlv.Parse(BerTlv.Encode(GpTags.SecurityDomainManagerUrl, url));

        var description = Assert.Single(GpTlvDescription.Describe(nodes));

        Assert.Equal("5F50", description.Tag);
        Assert.Equal("Security Domain Manager URL", description.Name);
        Assert.Equal("https://ttp.example/sd", description.Interpretation);
    }

    [Fact]
    public void Describe_ValuesThatDoNotParse_SaysWhyInsteadOfThrowing()
    {
        // A 9-byte KDD, a 1-byte counter, and the GPPro TestParseTags card data whose second 64 holds 04 80 00.
        var nodes = BerTlv.Parse(Hex.Parse(
            "CF09149480576000078C01" + "C1011E" +
            "6657735506072A864886FC6B01600B06092A864886FC6B020202630906072A864886FC6B03640B06092A864886FC6B040370" +
            "640B06092A864886FC6B048000650A06082A864886FC6B0504660C060A2B060104012A026E0103",
            "tlv"));

        var description = GpTlvDescription.Describe(nodes);

        Assert.Equal("not valid: expected key diversification data of 10 bytes, found 9 bytes", description[0].Interpretation);
        Assert.Equal("CF", description[0].Tag);
        Assert.Equal("149480576000078C01", description[0].Value);
        Assert.Equal("not valid: expected a sequence counter of 2 bytes (SCP02) or 3 bytes (SCP03), found 1 bytes", description[1].Interpretation);
        Assert.StartsWith("not valid: ", description[2].Interpretation, StringComparison.Ordinal);
        var elements = Assert.Single(description[2].Children!).Children!;
        Assert.Equal("GlobalPlatform 2.2 (1.2.840.114283.2.2.2)", elements[1].Interpretation);
        Assert.Equal("SCP03 i=70 (1.2.840.114283.4.3.112)", elements[3].Interpretation);
        Assert.StartsWith("not valid: ", elements[4].Interpretation, StringComparison.Ordinal);
        Assert.Equal("Card / Chip Details", elements[6].Name);
    }

    [Fact]
    public void Describe_EmptyKeyTemplate_SaysWhy()
    {
        var nodes = BerTlv.Parse(Hex.Parse("E000", "tlv"));

        var template = Assert.Single(GpTlvDescription.Describe(nodes));

        Assert.Equal("not valid: at offset 0: key information template E0 is empty; expected at least one C0", template.Interpretation);
        Assert.Empty(template.Children!);
    }

    [Fact]
    public void Describe_SelectResponse_NamesFciTags()
    {
        // martinpaljak/GlobalPlatformPro issue #112, SELECT response of the ISD.
        var nodes = BerTlv.Parse(Hex.Parse(
            "6F408407A0000001510000A535732F06072A864886FC6B01600C060A2A864886FC6B02020201630906072A864886FC6B03640B" +
            "06092A864886FC6B0403709F6501FF",
            "tlv"));

        var fci = Assert.Single(GpTlvDescription.Describe(nodes));

        Assert.Equal("File Control Information", fci.Name);
        Assert.Equal("Dedicated File Name", fci.Children![0].Name);
        Assert.Equal("A0000001510000", fci.Children[0].Value);
        var proprietary = fci.Children[1];
        Assert.Equal("FCI Proprietary Data", proprietary.Name);
        Assert.Equal("GlobalPlatform 2.2.1, SCP03 i=70", proprietary.Children![0].Interpretation);
        Assert.Equal("Maximum Length of Data Field", proprietary.Children[1].Name);
    }
}
