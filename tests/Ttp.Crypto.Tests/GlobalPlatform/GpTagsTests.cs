using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Crypto.Tests.GlobalPlatform;

public sealed class GpTagsTests
{
    [Theory]
    [InlineData(0x5F50, "Security Domain Manager URL")]
    [InlineData(0xCF, "Key Diversification Data")]
    [InlineData(0xE0, "Key Information Template")]
    [InlineData(0xC0, "Key Information Data")]
    [InlineData(0xC1, "Sequence Counter")]
    [InlineData(0x42, "Issuer Identification Number")]
    [InlineData(0x45, "Card Image Number")]
    [InlineData(0x66, "Card Data")]
    [InlineData(0x73, "Card Recognition Data")]
    [InlineData(0x06, "Object Identifier")]
    [InlineData(0x9F7F, "Card Production Life Cycle Data")]
    public void NameOf_TopLevelTag_ReturnsGlobalPlatformName(int tag, string expected)
    {
        Assert.Equal(expected, GpTags.NameOf(tag));
    }

    [Theory]
    [InlineData(0x60, "Card Management Type and Version")]
    [InlineData(0x63, "Card Identification Scheme")]
    [InlineData(0x64, "Secure Channel Protocol")]
    [InlineData(0x65, "Card Configuration Details")]
    [InlineData(0x66, "Card / Chip Details")]
    public void NameOf_TagInsideCardRecognitionData_ReturnsElementName(int tag, string expected)
    {
        Assert.Equal(expected, GpTags.NameOf(tag, GpTags.CardRecognitionData));
    }

    [Fact]
    public void NameOf_Tag66_DependsOnContext()
    {
        Assert.Equal("Card Data", GpTags.NameOf(0x66));
        Assert.Equal("Card / Chip Details", GpTags.NameOf(0x66, parentTag: 0x73));
    }

    [Fact]
    public void NameOf_Tag84_DependsOnContext()
    {
        Assert.Equal("Dedicated File Name", GpTags.NameOf(0x84, parentTag: 0x6F));
        Assert.Equal("Executable Module AID", GpTags.NameOf(0x84, parentTag: 0xE3));
    }

    [Theory]
    [InlineData(0x1234, null)]
    [InlineData(0x61, 0x73)]
    [InlineData(0xC0, 0x73)]
    public void Lookup_UnknownTagInContext_ReturnsNull(int tag, int? parent)
    {
        Assert.Null(GpTags.Lookup(tag, parent));
    }

    [Fact]
    public void Lookup_KnownTag_ReturnsMeaning()
    {
        var info = GpTags.Lookup(GpTags.SequenceCounter);

        Assert.NotNull(info);
        Assert.Contains("3 in SCP03", info.Meaning, StringComparison.Ordinal);
    }
}
