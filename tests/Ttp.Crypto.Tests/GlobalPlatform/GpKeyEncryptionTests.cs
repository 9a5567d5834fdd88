using Ttp.Crypto.GlobalPlatform;

namespace Ttp.Crypto.Tests.GlobalPlatform;

public class GpKeyEncryptionTests
{
    private const string DefaultKey = "404142434445464748494A4B4C4D4E4F";

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java,
    // testKeyEncryption_SCP01: the default key encrypted under the static default DEK (TDES-ECB).
    [Fact]
    public void EncryptTdes_DefaultKeyUnderDefaultDek_ReturnsPublishedCryptogram()
    {
        var kek = Convert.FromHexString(DefaultKey);
        var key = Convert.FromHexString(DefaultKey);

        var encrypted = GpKeyEncryption.EncryptTdes(kek, key);

        Assert.Equal("B4BAA89A8CD0292B45210E1BC84B1C31", Hex.Encode(encrypted));
    }

    // martinpaljak/GlobalPlatformPro library/src/test/java/pro/javacard/gp/test/TestPlaintextKeys.java,
    // testKeyEncryption_SCP02: the default key encrypted under the SCP02 S-DEK of the default DEK, sequence counter 0000.
    [Fact]
    public void EncryptTdes_UnderScp02SessionDek_ReturnsPublishedCryptogram()
    {
        var staticKey = Convert.FromHexString(DefaultKey);
        using var session = Scp02.DeriveSessionKeys(staticKey, staticKey, staticKey, new byte[2]);

        var encrypted = GpKeyEncryption.EncryptTdes(session.SDek, staticKey);

        Assert.Equal("EFBEE6C6D99D7B70BDE9D7E927F020AF", Hex.Encode(encrypted));
    }

    // osmocom/pysim tests/unittests/test_globalplatform.py, PutKey_PSK_Test (PSK_CLEAR, PSK_CIPHERED): a 16-byte value
    // encrypted under the S-DEK of SCP02_Test's session (static DEK 102102030405060708090A0B0C0D0E0F, counter 0001).
    [Fact]
    public void EncryptTdes_PysimPskUnderSessionDek_ReturnsPublishedCryptogram()
    {
        var enc = Convert.FromHexString("100102030405060708090A0B0C0D0E0F");
        var mac = Convert.FromHexString("101102030405060708090A0B0C0D0E0F");
        var dek = Convert.FromHexString("102102030405060708090A0B0C0D0E0F");
        using var session = Scp02.DeriveSessionKeys(enc, mac, dek, Convert.FromHexString("0001"));
        var psk = Convert.FromHexString("303132333435363738393A3B3C3D3E3F");

        var encrypted = GpKeyEncryption.EncryptTdes(session.SDek, psk);

        Assert.Equal("15ABF1FE16CCC5AA13743394442942CD", Hex.Encode(encrypted));
    }

    // kaoh/globalplatform issue #73 ("put key with parameter key type"), a JCShell PUT KEY trace: the default key as an
    // AES key (type 88) encrypted with TDES-ECB under the SCP02 session DEK C61DF24D2C9A770E32E969984B5B7074.
    [Fact]
    public void DecryptTdes_JcShellPutKeyTrace_ReturnsClearKey()
    {
        var kek = Convert.FromHexString("C61DF24D2C9A770E32E969984B5B7074");
        var encrypted = Convert.FromHexString("B23034FA4329DE9AD8E91583618813B3");

        var clear = GpKeyEncryption.DecryptTdes(kek, encrypted);

        Assert.Equal(DefaultKey, Hex.Encode(clear));
    }

    // kaoh/globalplatform issue #73: "encrypt AES CBC with key = 404142434445464748494A4B4C4D4E4F, data input =
    // 01010101010101010101010101010101, output = 504A77E6E457DD861E066F7804281A5F" (a single block, zero ICV).
    // No published PUT KEY trace with an AES KEK and a multi-block key value was found.
    [Fact]
    public void EncryptAes_OneBlockUnderDefaultKek_ReturnsPublishedCryptogram()
    {
        var kek = Convert.FromHexString(DefaultKey);
        var key = Convert.FromHexString("01010101010101010101010101010101");

        var encrypted = GpKeyEncryption.EncryptAes(kek, key);

        Assert.Equal("504A77E6E457DD861E066F7804281A5F", Hex.Encode(encrypted));
    }

    // kaoh/globalplatform issue #73 (as above), decrypted back.
    [Fact]
    public void DecryptAes_OneBlockUnderDefaultKek_ReturnsClearKey()
    {
        var kek = Convert.FromHexString(DefaultKey);
        var encrypted = Convert.FromHexString("504A77E6E457DD861E066F7804281A5F");

        var clear = GpKeyEncryption.DecryptAes(kek, encrypted);

        Assert.Equal("01010101010101010101010101010101", Hex.Encode(clear));
    }

    // Property (no published multi-block vector): an AES-256 key value is chained in CBC, so its second block differs
    // from the first although both clear blocks are equal, and decryption restores it.
    [Fact]
    public void EncryptAes_TwoEqualBlocks_ChainsAndRoundTrips()
    {
        var kek = Convert.FromHexString(DefaultKey);
        var key = Convert.FromHexString("0101010101010101010101010101010101010101010101010101010101010101");

        var encrypted = GpKeyEncryption.EncryptAes(kek, key);
        var clear = GpKeyEncryption.DecryptAes(kek, encrypted);

        Assert.Equal("504A77E6E457DD861E066F7804281A5F", Hex.Encode(encrypted.AsSpan(0, 16)));
        Assert.NotEqual(Hex.Encode(encrypted.AsSpan(0, 16)), Hex.Encode(encrypted.AsSpan(16, 16)));
        Assert.Equal(Hex.Encode(key), Hex.Encode(clear));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(32)]
    public void EncryptTdes_KekNotTdes_ThrowsForKek(int kekLength)
    {
        var error = Assert.Throws<CryptoInputException>(() => GpKeyEncryption.EncryptTdes(new byte[kekLength], new byte[16]));

        Assert.Equal("kek", error.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    public void EncryptTdes_KeyNotWholeBlocks_ThrowsForKey(int keyLength)
    {
        var error = Assert.Throws<CryptoInputException>(() => GpKeyEncryption.EncryptTdes(new byte[16], new byte[keyLength]));

        Assert.Equal("key", error.Field);
    }

    [Fact]
    public void EncryptAes_KekOfTwentyBytes_ThrowsForKek()
    {
        var error = Assert.Throws<CryptoInputException>(() => GpKeyEncryption.EncryptAes(new byte[20], new byte[16]));

        Assert.Equal("kek", error.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(24)]
    public void EncryptAes_KeyNotWholeAesBlocks_ThrowsForKey(int keyLength)
    {
        var error = Assert.Throws<CryptoInputException>(() => GpKeyEncryption.EncryptAes(new byte[16], new byte[keyLength]));

        Assert.Equal("key", error.Field);
        Assert.Contains("16", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DecryptAes_CiphertextOfEightBytes_ThrowsForKey()
    {
        var error = Assert.Throws<CryptoInputException>(() => GpKeyEncryption.DecryptAes(new byte[32], new byte[8]));

        Assert.Equal("key", error.Field);
    }
}
