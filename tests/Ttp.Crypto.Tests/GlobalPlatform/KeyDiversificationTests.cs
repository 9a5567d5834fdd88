using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Crypto.Tests.GlobalPlatform;

public class KeyDiversificationTests
{
    // GlobalPlatform default test key, the master key of the published vectors below.
    private const string DefaultKey = "404142434445464748494A4B4C4D4E4F";

    // OpenJavaCard/openjavacard-tools src/test/java/org/openjavacard/gp/scp/SCPDiversificationTest.java,
    // testDiversifyEMV_00000000000000000000 (same values in src/test/java/org/openjavacard/gp/keys/GPKeySetTest.java).
    [Fact]
    public void DeriveAll_EmvCps11WithZeroKdd_ReturnsPublishedKeys()
    {
        var masterKey = Convert.FromHexString(DefaultKey);
        var kdd = Convert.FromHexString("00000000000000000000");

        using var keys = KeyDiversification.DeriveAll(DiversificationMethod.EmvCps11, masterKey, kdd);

        Assert.Equal("5D9A62E01DF1FA7A93F231000F4AC272", Hex.Encode(keys.Enc));
        Assert.Equal("13179F2220FC6BCE5E740387EB78DB5C", Hex.Encode(keys.Mac));
        Assert.Equal("8BBE5457944D18DF460AF68730F570A2", Hex.Encode(keys.Dek));
    }

    // OpenJavaCard/openjavacard-tools src/test/java/org/openjavacard/gp/scp/SCPDiversificationTest.java,
    // testDiversifyEMV_0102030405060708090A.
    [Fact]
    public void DeriveAll_EmvCps11WithCountingKdd_ReturnsPublishedKeys()
    {
        var masterKey = Convert.FromHexString(DefaultKey);
        var kdd = Convert.FromHexString("0102030405060708090A");

        using var keys = KeyDiversification.DeriveAll(DiversificationMethod.EmvCps11, masterKey, kdd);

        Assert.Equal("6438A05AC377DF302423BC5E2038FB5B", Hex.Encode(keys.Enc));
        Assert.Equal("5A9402DDABC5B9497BBECE0884929B83", Hex.Encode(keys.Mac));
        Assert.Equal("ACB4C129B3912FB782A4EAEE043BAE95", Hex.Encode(keys.Dek));
    }

    // OpenJavaCard/openjavacard-tools src/test/java/org/openjavacard/gp/scp/SCPDiversificationTest.java,
    // testDiversifyEMV_0102030405060708090A: the single-key API gives the same MAC key as DeriveAll.
    [Fact]
    public void Derive_EmvCps11MacKey_ReturnsPublishedKey()
    {
        var masterKey = Convert.FromHexString(DefaultKey);
        var kdd = Convert.FromHexString("0102030405060708090A");
        var destination = new byte[16];

        KeyDiversification.Derive(DiversificationMethod.EmvCps11, masterKey, kdd, StaticKeyId.Mac, destination);

        Assert.Equal("5A9402DDABC5B9497BBECE0884929B83", Hex.Encode(destination));
    }

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java,
    // testDiversification_EMV_SCP02 (also tool/src/test/java/pro/javacard/gptool/TestPlaintextKeysProvider.java,
    // testDiversificationEMV): only the check values are published.
    [Fact]
    public void DeriveAll_EmvCps11_MatchesPublishedCheckValues()
    {
        var masterKey = Convert.FromHexString(DefaultKey);
        var kdd = Convert.FromHexString("00010203040506070809");

        using var keys = KeyDiversification.DeriveAll(DiversificationMethod.EmvCps11, masterKey, kdd);

        Assert.Equal("C33013", Hex.Encode(KeyCheckValue.Des(keys.Enc)));
        Assert.Equal("6F4CA6", Hex.Encode(KeyCheckValue.Des(keys.Mac)));
        Assert.Equal("BB8179", Hex.Encode(KeyCheckValue.Des(keys.Dek)));
    }

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java,
    // testDiversification_VISA2_SCP02 (also tool/src/test/java/pro/javacard/gptool/TestPlaintextKeysProvider.java,
    // testDiversificationVISA). No published VISA2 vector gives the full keys; these check values are the reference.
    [Fact]
    public void DeriveAll_Visa2_MatchesPublishedCheckValues()
    {
        var masterKey = Convert.FromHexString(DefaultKey);
        var kdd = Convert.FromHexString("00010203040506070809");

        using var keys = KeyDiversification.DeriveAll(DiversificationMethod.Visa2, masterKey, kdd);

        Assert.Equal("2BE598", Hex.Encode(KeyCheckValue.Des(keys.Enc)));
        Assert.Equal("58DA38", Hex.Encode(KeyCheckValue.Des(keys.Mac)));
        Assert.Equal("3C328E", Hex.Encode(KeyCheckValue.Des(keys.Dek)));
    }

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java, testDiversification_VISA2_SCP02.
    [Fact]
    public void Derive_Visa2DekKey_MatchesPublishedCheckValue()
    {
        var masterKey = Convert.FromHexString(DefaultKey);
        var kdd = Convert.FromHexString("00010203040506070809");
        var destination = new byte[16];

        KeyDiversification.Derive(DiversificationMethod.Visa2, masterKey, kdd, StaticKeyId.Dek, destination);

        Assert.Equal("3C328E", Hex.Encode(KeyCheckValue.Des(destination)));
    }

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java,
    // testDiversification_KDF3_SCP03_AES128 (also tool/src/test/java/pro/javacard/gptool/TestPlaintextKeysProvider.java,
    // testDefaultKeysWithDiversifier).
    [Fact]
    public void DeriveAll_Kdf3Aes128_MatchesPublishedCheckValues()
    {
        var masterKey = Convert.FromHexString(DefaultKey);
        var kdd = Convert.FromHexString("00010203040506070809");

        using var keys = KeyDiversification.DeriveAll(DiversificationMethod.Kdf3, masterKey, kdd);

        Assert.Equal(16, keys.Enc.Length);
        Assert.Equal("E79C05", Hex.Encode(KeyCheckValue.AesGlobalPlatform(keys.Enc)));
        Assert.Equal("D1BD77", Hex.Encode(KeyCheckValue.AesGlobalPlatform(keys.Mac)));
        Assert.Equal("3FDE8C", Hex.Encode(KeyCheckValue.AesGlobalPlatform(keys.Dek)));
    }

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java,
    // testDiversification_KDF3_SCP03_AES192.
    [Fact]
    public void DeriveAll_Kdf3Aes192_MatchesPublishedCheckValues()
    {
        var masterKey = Convert.FromHexString("404142434445464748494A4B4C4D4E4F5051525354555657");
        var kdd = Convert.FromHexString("00010203040506070809");

        using var keys = KeyDiversification.DeriveAll(DiversificationMethod.Kdf3, masterKey, kdd);

        Assert.Equal(24, keys.Enc.Length);
        Assert.Equal("1DE8EA", Hex.Encode(KeyCheckValue.AesGlobalPlatform(keys.Enc)));
        Assert.Equal("47C00C", Hex.Encode(KeyCheckValue.AesGlobalPlatform(keys.Mac)));
        Assert.Equal("C04D76", Hex.Encode(KeyCheckValue.AesGlobalPlatform(keys.Dek)));
    }

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java,
    // testDiversification_KDF3_SCP03_AES256.
    [Fact]
    public void DeriveAll_Kdf3Aes256_MatchesPublishedCheckValues()
    {
        var masterKey = Convert.FromHexString("404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F");
        var kdd = Convert.FromHexString("00010203040506070809");

        using var keys = KeyDiversification.DeriveAll(DiversificationMethod.Kdf3, masterKey, kdd);

        Assert.Equal(32, keys.Enc.Length);
        Assert.Equal("2972D2", Hex.Encode(KeyCheckValue.AesGlobalPlatform(keys.Enc)));
        Assert.Equal("036F94", Hex.Encode(KeyCheckValue.AesGlobalPlatform(keys.Mac)));
        Assert.Equal("5D57B8", Hex.Encode(KeyCheckValue.AesGlobalPlatform(keys.Dek)));
    }

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java,
    // testDiversification_KDF3_ExternalVector (also tool/src/test/java/pro/javacard/gptool/TestPlaintextKeysProvider.java,
    // testKDF3): an external AES-256 vector that publishes the full derived ENC key.
    [Fact]
    public void Derive_Kdf3Aes256ExternalVector_ReturnsPublishedEncKey()
    {
        var masterKey = Convert.FromHexString("8C72C72CF908411653018807950D82FBAD947562F0828A0B10B8B9606ABF3BCD");
        var kdd = Convert.FromHexString("D9B1DE5D0362DEDCE4FB");
        var destination = new byte[32];

        KeyDiversification.Derive(DiversificationMethod.Kdf3, masterKey, kdd, StaticKeyId.Enc, destination);

        Assert.Equal("9AAC5D0B3601F89438A0D9D0B6B256CFB47E6462DFA5228D3420C4AC7C224781", Hex.Encode(destination));
    }

    // None: the card keys are the master key. martinpaljak/GlobalPlatformPro
    // library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java, testSessionKeys_SCP01 publishes 8BAF47 as the
    // check value of the undiversified default key (static DEK).
    [Fact]
    public void DeriveAll_None_ReturnsMasterKeyThreeTimes()
    {
        var masterKey = Convert.FromHexString(DefaultKey);
        var kdd = Convert.FromHexString("00010203040506070809");

        using var keys = KeyDiversification.DeriveAll(DiversificationMethod.None, masterKey, kdd);

        Assert.Equal(DefaultKey, Hex.Encode(keys.Enc));
        Assert.Equal(DefaultKey, Hex.Encode(keys.Mac));
        Assert.Equal(DefaultKey, Hex.Encode(keys.Dek));
        Assert.Equal("8BAF47", Hex.Encode(KeyCheckValue.Des(keys.Enc)));
    }

    [Fact]
    public void Dispose_AfterDerivation_ZeroesAllKeys()
    {
        var masterKey = Convert.FromHexString(DefaultKey);
        var kdd = Convert.FromHexString("00010203040506070809");
        var keys = KeyDiversification.DeriveAll(DiversificationMethod.EmvCps11, masterKey, kdd);

        keys.Dispose();

        Assert.All(keys.Enc, b => Assert.Equal(0, b));
        Assert.All(keys.Mac, b => Assert.Equal(0, b));
        Assert.All(keys.Dek, b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(DiversificationMethod.EmvCps11)]
    [InlineData(DiversificationMethod.Visa2)]
    [InlineData(DiversificationMethod.Kdf3)]
    [InlineData(DiversificationMethod.None)]
    public void DeriveAll_NineByteKdd_ThrowsForKdd(DiversificationMethod method)
    {
        var masterKey = new byte[16];
        var kdd = new byte[9];

        var error = Assert.Throws<CryptoInputException>(() => KeyDiversification.DeriveAll(method, masterKey, kdd));

        Assert.Equal("kdd", error.Field);
        Assert.Contains("10 bytes", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Derive_ElevenByteKdd_ThrowsForKdd()
    {
        var masterKey = new byte[16];
        var kdd = new byte[11];
        var destination = new byte[16];

        var error = Assert.Throws<CryptoInputException>(
            () => KeyDiversification.Derive(DiversificationMethod.EmvCps11, masterKey, kdd, StaticKeyId.Enc, destination));

        Assert.Equal("kdd", error.Field);
    }

    [Theory]
    [InlineData(DiversificationMethod.EmvCps11)]
    [InlineData(DiversificationMethod.Visa2)]
    public void DeriveAll_ThreeKeyTdesMasterKeyForDesScheme_ThrowsForMasterKey(DiversificationMethod method)
    {
        var masterKey = new byte[24];
        var kdd = new byte[10];

        var error = Assert.Throws<CryptoInputException>(() => KeyDiversification.DeriveAll(method, masterKey, kdd));

        Assert.Equal("master-key", error.Field);
        Assert.Contains("16 bytes", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(15)]
    [InlineData(20)]
    [InlineData(33)]
    public void DeriveAll_Kdf3MasterKeyNotAes_ThrowsForMasterKey(int length)
    {
        var masterKey = new byte[length];
        var kdd = new byte[10];

        var error = Assert.Throws<CryptoInputException>(() => KeyDiversification.DeriveAll(DiversificationMethod.Kdf3, masterKey, kdd));

        Assert.Equal("master-key", error.Field);
    }

    [Fact]
    public void Derive_DestinationShorterThanMasterKey_ThrowsArgumentException()
    {
        var masterKey = new byte[32];
        var kdd = new byte[10];
        var destination = new byte[16];

        Assert.Throws<ArgumentException>(
            () => KeyDiversification.Derive(DiversificationMethod.Kdf3, masterKey, kdd, StaticKeyId.Enc, destination));
    }

    [Fact]
    public void Derive_UndefinedKeyId_ThrowsArgumentOutOfRange()
    {
        var masterKey = new byte[16];
        var kdd = new byte[10];
        var destination = new byte[16];

        Assert.Throws<ArgumentOutOfRangeException>(
            () => KeyDiversification.Derive(DiversificationMethod.EmvCps11, masterKey, kdd, (StaticKeyId)4, destination));
    }

    [Fact]
    public void DeriveAll_UndefinedMethod_ThrowsArgumentOutOfRange()
    {
        var masterKey = new byte[16];
        var kdd = new byte[10];

        Assert.Throws<ArgumentOutOfRangeException>(() => KeyDiversification.DeriveAll((DiversificationMethod)9, masterKey, kdd));
    }
}
