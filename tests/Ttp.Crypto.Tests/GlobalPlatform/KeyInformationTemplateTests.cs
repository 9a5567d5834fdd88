using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Crypto.Tests.GlobalPlatform;

public sealed class KeyInformationTemplateTests
{
    private const int Des = 0x80;
    private const int Aes = 0x88;

    [Fact]
    public void Parse_OpenJavaCardScp02Default_ReturnsThreeDesKeysOfInitialKeySet()
    {
        // OpenJavaCard/openjavacard-tools src/test/java/org/openjavacard/gp/protocol/GPKeyInfoTemplateTest.java,
        // KIT_SCP02_DEFAULT_BYTES; expected keys from GPKeyInfoTest.java (ids 1..3, version 255, type 0x80, size 16).
        // The same template is in docs/GLOBALPLATFORM.md.
        var data = Hex.Parse("e012c00401ff8010c00402ff8010c00403ff8010", "kit");

        var template = KeyInformationTemplate.Parse(data);

        Assert.Collection(
            template.Keys,
            key => AssertBasicKey(key, 0x01, 0xFF, Des, 16),
            key => AssertBasicKey(key, 0x02, 0xFF, Des, 16),
            key => AssertBasicKey(key, 0x03, 0xFF, Des, 16));
        Assert.Equal(new byte[] { 0xFF }, template.KeyVersionNumbers);
    }

    [Fact]
    public void Parse_OpenJavaCardTemplateShort_Throws()
    {
        // openjavacard-tools GPKeyInfoTemplateTest.java, KIT_SCP02_DEFAULT_SHORT (rejected there too).
        var data = Hex.Parse("e012c00401ff8010c00402ff8010c00403ff80", "kit");

        var error = Assert.Throws<TlvException>(() => KeyInformationTemplate.Parse(data));

        Assert.Equal("key-information-template", error.Field);
        Assert.Equal(1, error.Offset);
    }

    [Fact]
    public void Parse_OpenJavaCardTemplateLong_Throws()
    {
        // openjavacard-tools GPKeyInfoTemplateTest.java, KIT_SCP02_DEFAULT_LONG (rejected there too): trailing FF.
        var data = Hex.Parse("e012c00401ff8010c00402ff8010c00403ff8010FF", "kit");

        var error = Assert.Throws<TlvException>(() => KeyInformationTemplate.Parse(data));

        Assert.Equal(20, error.Offset);
    }

    [Fact]
    public void Parse_OpenJavaCardSingleEntryWithoutE0_ReturnsOneKey()
    {
        // openjavacard-tools src/test/java/org/openjavacard/gp/protocol/GPKeyInfoTest.java, KI_01_FF_DES_10_BYTES.
        var data = Hex.Parse("C00401ff8010", "kit");

        var template = KeyInformationTemplate.Parse(data);

        AssertBasicKey(Assert.Single(template.Keys), 0x01, 0xFF, Des, 16);
    }

    [Theory]
    [InlineData("C00401ff80", 1)] // GPKeyInfoTest.java KI_01_FF_DES_10_BYTES_SHORT
    [InlineData("C00401ff8010FF", 6)] // GPKeyInfoTest.java KI_01_FF_DES_10_BYTES_LONG
    public void Parse_OpenJavaCardSingleEntryShortOrLong_Throws(string hex, int offset)
    {
        var data = Hex.Parse(hex, "kit");

        var error = Assert.Throws<TlvException>(() => KeyInformationTemplate.Parse(data));

        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void Parse_GpProIssue114Aes256Card_ReturnsThreeAes256Keys()
    {
        // martinpaljak/GlobalPlatformPro issue #114 (Oberthur COSMO 8.1, GET DATA 00E0); also in docs/GLOBALPLATFORM.md.
        var data = Hex.Parse("E012C00401018820C00402018820C00403018820", "kit");

        var template = KeyInformationTemplate.Parse(data);

        Assert.Collection(
            template.Keys,
            key => AssertBasicKey(key, 0x01, 0x01, Aes, 32),
            key => AssertBasicKey(key, 0x02, 0x01, Aes, 32),
            key => AssertBasicKey(key, 0x03, 0x01, Aes, 32));
        Assert.Equal(new byte[] { 0x01 }, template.KeyVersionNumbers);
        Assert.Equal("AES", template.Keys[0].Components[0].TypeName);
    }

    [Fact]
    public void Parse_BlogTraceTwoKeySets_ReturnsSixKeysAndTwoVersions()
    {
        // http://ctskinner.blogspot.com/2011/10/globalplatform-card-key-id-versions.html (GET DATA 00E0 after adding KVN 3).
        var data = Hex.Parse("E024C00401018010C00402018010C00403018010C00401038010C00402038010C00403038010", "kit");

        var template = KeyInformationTemplate.Parse(data);

        Assert.Collection(
            template.Keys,
            key => AssertBasicKey(key, 0x01, 0x01, Des, 16),
            key => AssertBasicKey(key, 0x02, 0x01, Des, 16),
            key => AssertBasicKey(key, 0x03, 0x01, Des, 16),
            key => AssertBasicKey(key, 0x01, 0x03, Des, 16),
            key => AssertBasicKey(key, 0x02, 0x03, Des, 16),
            key => AssertBasicKey(key, 0x03, 0x03, Des, 16));
        Assert.Equal(new byte[] { 0x01, 0x03 }, template.KeyVersionNumbers);
    }

    [Fact]
    public void Parse_GpProRsaKeyTemplate_ReturnsFiveKeysWithTwoComponentRsaKey()
    {
        // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/TestGPKeyInfo.java, testRSAKeyTemplate (5 keys).
        var data = Hex.Parse("E020C00401018820C00402018820C00403018820C0060170A180A003C00401718010", "kit");

        var template = KeyInformationTemplate.Parse(data);

        Assert.Equal(5, template.Keys.Count);
        AssertBasicKey(template.Keys[0], 0x01, 0x01, Aes, 32);
        AssertBasicKey(template.Keys[1], 0x02, 0x01, Aes, 32);
        AssertBasicKey(template.Keys[2], 0x03, 0x01, Aes, 32);
        var rsa = template.Keys[3];
        Assert.Equal(0x01, rsa.KeyId);
        Assert.Equal(0x70, rsa.KeyVersionNumber);
        Assert.False(rsa.IsExtended);
        Assert.Equal(new[] { new KeyComponentInfo(0xA1, 0x80), new KeyComponentInfo(0xA0, 0x03) }, rsa.Components);
        Assert.Equal(0xA1, rsa.KeyType);
        Assert.Equal(128, rsa.KeyLength);
        AssertBasicKey(template.Keys[4], 0x01, 0x71, Des, 16);
        Assert.Equal(new byte[] { 0x01, 0x70, 0x71 }, template.KeyVersionNumbers);
    }

    [Fact]
    public void Parse_GpProExtendedRsaKeyTemplate_ReadsOneByteExponentTypeUsageAndAccess()
    {
        // martinpaljak/GlobalPlatformPro TestGPKeyInfo.java, testExtendedRSAKeyTemplate (4 keys): the fourth is
        // extended, id 01, KVN 73, FFA1 modulus of 128 bytes, A0 exponent of 3 bytes, usage 84, access 00.
        var data = Hex.Parse("E021C00401018010C00402018010C00403018010C00D0173FFA10080A0000301840100", "kit");

        var template = KeyInformationTemplate.Parse(data);

        Assert.Equal(4, template.Keys.Count);
        AssertBasicKey(template.Keys[0], 0x01, 0x01, Des, 16);
        AssertBasicKey(template.Keys[1], 0x02, 0x01, Des, 16);
        AssertBasicKey(template.Keys[2], 0x03, 0x01, Des, 16);
        var rsa = template.Keys[3];
        Assert.True(rsa.IsExtended);
        Assert.Equal(0x01, rsa.KeyId);
        Assert.Equal(0x73, rsa.KeyVersionNumber);
        Assert.Equal(new[] { new KeyComponentInfo(0xFFA1, 128), new KeyComponentInfo(0xA0, 3) }, rsa.Components);
        Assert.True(rsa.Components[0].IsExtendedType);
        Assert.False(rsa.Components[1].IsExtendedType);
        Assert.Equal(new byte[] { 0x84 }, rsa.Usage);
        Assert.Equal((byte)0x00, rsa.Access);
        Assert.Equal(new byte[] { 0x01, 0x73 }, template.KeyVersionNumbers);
    }

    [Fact]
    public void Parse_GpProExtendedTemplateWithLength81_ReturnsFourteenKeys()
    {
        // martinpaljak/GlobalPlatformPro TestGPKeyInfo.java, testExtendedKeyTypeTemplateWithZeroLengths (14 keys).
        var data = Hex.Parse(
            "E081B0C00A0120FF80001001000100C00A0220FF80001001000100C00A0320FF80001001000100C00A0101FF80001001000100" +
            "C00A0201FF80001001000100C00A0301FF80001001000100C00A0102FF88001001000100C00E0202FF880010FF10000101000100" +
            "C00A0302FF88001001000100C00A0103FF88001001000100C00E0203FF880010FF10000101000100C00A0303FF88001001000100" +
            "C00A1403FF85001001000100C00A1503FF88001001000100",
            "kit");
        var expected = new (byte Id, byte Version, KeyComponentInfo[] Components)[]
        {
            (0x01, 0x20, [new(0xFF80, 16)]),
            (0x02, 0x20, [new(0xFF80, 16)]),
            (0x03, 0x20, [new(0xFF80, 16)]),
            (0x01, 0x01, [new(0xFF80, 16)]),
            (0x02, 0x01, [new(0xFF80, 16)]),
            (0x03, 0x01, [new(0xFF80, 16)]),
            (0x01, 0x02, [new(0xFF88, 16)]),
            (0x02, 0x02, [new(0xFF88, 16), new(0xFF10, 1)]),
            (0x03, 0x02, [new(0xFF88, 16)]),
            (0x01, 0x03, [new(0xFF88, 16)]),
            (0x02, 0x03, [new(0xFF88, 16), new(0xFF10, 1)]),
            (0x03, 0x03, [new(0xFF88, 16)]),
            (0x14, 0x03, [new(0xFF85, 16)]),
            (0x15, 0x03, [new(0xFF88, 16)]),
        };

        var template = KeyInformationTemplate.Parse(data);

        Assert.Equal(expected.Length, template.Keys.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var key = template.Keys[i];
            Assert.True(key.IsExtended);
            Assert.Equal(expected[i].Id, key.KeyId);
            Assert.Equal(expected[i].Version, key.KeyVersionNumber);
            Assert.Equal(expected[i].Components, key.Components);
            Assert.Equal(new byte[] { 0x00 }, key.Usage);
            Assert.Equal((byte)0x00, key.Access);
        }

        Assert.Equal(new byte[] { 0x20, 0x01, 0x02, 0x03 }, template.KeyVersionNumbers);
        Assert.Equal(0xFF85, template.Keys[12].KeyType);
        Assert.Equal("TLS pre-shared key", template.Keys[12].Components[0].TypeName);
    }

    [Fact]
    public void Parse_GlobalPlatformMdExtendedEntryWithoutE0_ReturnsOneExtendedKey()
    {
        // docs/GLOBALPLATFORM.md (extended example; the first entry of GlobalPlatformPro TestGPKeyInfo's 14-key template).
        var data = Hex.Parse("C00A0120FF80001001000100", "kit");

        var template = KeyInformationTemplate.Parse(data);

        var key = Assert.Single(template.Keys);
        Assert.True(key.IsExtended);
        Assert.Equal(0x01, key.KeyId);
        Assert.Equal(0x20, key.KeyVersionNumber);
        Assert.Equal(0xFF80, key.KeyType);
        Assert.Equal(16, key.KeyLength);
        Assert.Equal(new byte[] { 0x00 }, key.Usage);
        Assert.Equal((byte)0x00, key.Access);
    }

    [Fact]
    public void Parse_EmptyInput_Throws()
    {
        var error = Assert.Throws<TlvException>(() => KeyInformationTemplate.Parse([]));

        Assert.Null(error.Offset);
    }

    [Fact]
    public void Parse_EmptyE0_Throws()
    {
        var data = Hex.Parse("E000", "kit");

        var error = Assert.Throws<TlvException>(() => KeyInformationTemplate.Parse(data));

        Assert.Equal(0, error.Offset);
        Assert.Contains("empty", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_E0WithNonC0Child_Throws()
    {
        var data = Hex.Parse("E00BC00401FF8010C10300001E", "kit");

        var error = Assert.Throws<TlvException>(() => KeyInformationTemplate.Parse(data));

        Assert.Equal(8, error.Offset);
        Assert.Contains("expected key information data C0, found tag C1", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FirstByteNeitherE0NorC0_Throws()
    {
        var data = Hex.Parse("C10300001E", "kit");

        var error = Assert.Throws<TlvException>(() => KeyInformationTemplate.Parse(data));

        Assert.Equal(0, error.Offset);
    }

    [Fact]
    public void Parse_BasicEntryWithOddPairBytes_Throws()
    {
        var data = Hex.Parse("E007C00501FF801010", "kit");

        var error = Assert.Throws<TlvException>(() => KeyInformationTemplate.Parse(data));

        Assert.Equal(4, error.Offset);
        Assert.Contains("odd number of bytes", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("E002C000")]
    [InlineData("E005C00301FF80")]
    public void Parse_EntryShorterThanFourBytes_Throws(string hex)
    {
        var data = Hex.Parse(hex, "kit");

        var error = Assert.Throws<TlvException>(() => KeyInformationTemplate.Parse(data));

        Assert.Equal(4, error.Offset);
        Assert.Contains("too short", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BasicEntryWithExtendedTypeAfterBasic_Throws()
    {
        var data = Hex.Parse("C00601018010FF10", "kit");

        var error = Assert.Throws<TlvException>(() => KeyInformationTemplate.Parse(data));

        Assert.Equal(6, error.Offset);
    }

    [Theory]
    [InlineData("C0060120FF800010", "without its key usage length")]
    [InlineData("C00A0120FF80001003000100", "key usage length 3")]
    [InlineData("C00A0120FF80001001000200", "key access length 2")]
    [InlineData("C0090120FF800010010001", "before the key access byte")]
    [InlineData("C0080120FF8000100100", "before the key access length")]
    [InlineData("C00B0120FF8000100100010000", "unexpected byte(s) after the key access")]
    [InlineData("C0050120FF8000", "extended key component is truncated")]
    public void Parse_MalformedExtendedEntry_Throws(string hex, string reason)
    {
        var data = Hex.Parse(hex, "kit");

        var error = Assert.Throws<TlvException>(() => KeyInformationTemplate.Parse(data));

        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExtendedEntryWithZeroUsageAndAccessLengths_ReturnsNoUsageNoAccess()
    {
        var data = Hex.Parse("C0080120FF8800200000", "kit");

        var key = Assert.Single(KeyInformationTemplate.Parse(data).Keys);

        Assert.Empty(key.Usage);
        Assert.Null(key.Access);
        Assert.Equal(new KeyComponentInfo(0xFF88, 32), Assert.Single(key.Components));
    }

    [Fact]
    public void KeyInformationParse_ValueOfOneEntry_ReturnsTheKey()
    {
        // openjavacard-tools GPKeyInfoTest.java KI_02_FF_DES_10_BYTES, value only.
        var value = Hex.Parse("02ff8010", "ki");

        var key = KeyInformation.Parse(value);

        AssertBasicKey(key, 0x02, 0xFF, Des, 16);
    }

    private static void AssertBasicKey(KeyInformation key, byte id, byte version, int type, int length)
    {
        Assert.Equal(id, key.KeyId);
        Assert.Equal(version, key.KeyVersionNumber);
        Assert.False(key.IsExtended);
        Assert.Equal(new KeyComponentInfo(type, length), Assert.Single(key.Components));
        Assert.Equal(type, key.KeyType);
        Assert.Equal(length, key.KeyLength);
        Assert.Empty(key.Usage);
        Assert.Null(key.Access);
    }
}
