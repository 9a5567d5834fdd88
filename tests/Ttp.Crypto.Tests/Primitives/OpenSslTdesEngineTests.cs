using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.Tests.Primitives;

/// <summary>
/// <see cref="OpenSslTdesEngine"/>: used on this platform (Debian, libcrypto 3), the same results as BouncyCastle's
/// <see cref="DesEdeEngine"/> for 2- and 3-key keys in both directions, and the checks of its own. The published vectors of
/// every TDES user (check values, EMV CPS, SCP02, TR-31 version B) run on it through <see cref="BlockCipher"/>.
/// </summary>
public sealed class OpenSslTdesEngineTests
{
    [Fact]
    public void BlockCipher_OnThisPlatform_UsesOpenSsl()
    {
        Assert.True(OpenSslTdesEngine.Available, "libcrypto.so.3 with DES_set_key_unchecked and DES_ecb3_encrypt must load here (the CI image)");
        var ecb = (EcbBlockCipher)BlockCipher.CreateEcb(aes: false, forEncryption: true, new byte[16] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 });
        Assert.IsType<OpenSslTdesEngine>(ecb.UnderlyingCipher);
    }

    [Fact]
    public void Gp211DefaultKey_CheckValue_IsThePublished8BAF47()
    {
        // GlobalPlatformPro TestPlaintextKeys.testSessionKeys_SCP01: the default key 404142...4F has check value 8BAF47.
        var engine = OpenSslTdesEngine.Create();
        engine.Init(true, new KeyParameter(Convert.FromHexString("404142434445464748494A4B4C4D4E4F")));
        var block = new byte[8];
        engine.ProcessBlock(block, block);

        Assert.Equal("8BAF47", Convert.ToHexString(block, 0, 3));
    }

    [Theory]
    [InlineData(16, true)]
    [InlineData(16, false)]
    [InlineData(24, true)]
    [InlineData(24, false)]
    public void RandomKeysAndBlocks_SameAsBouncyCastle(int keyLength, bool forEncryption)
    {
        for (var round = 0; round < 200; round++)
        {
            var key = RandomNumberGenerator.GetBytes(keyLength);
            var input = RandomNumberGenerator.GetBytes(8);
            var openSsl = OpenSslTdesEngine.Create();
            var bouncyCastle = new DesEdeEngine();
            openSsl.Init(forEncryption, new KeyParameter(key));
            bouncyCastle.Init(forEncryption, new KeyParameter(key));
            var actual = new byte[8];
            var expected = new byte[8];

            openSsl.ProcessBlock(input, actual);
            bouncyCastle.ProcessBlock(input, expected);

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Rekeyed_UsesTheNewKey()
    {
        var engine = OpenSslTdesEngine.Create();
        var block = new byte[8];
        engine.Init(true, new KeyParameter(Convert.FromHexString("404142434445464748494A4B4C4D4E4F")));
        var first = new byte[8];
        engine.ProcessBlock(block, first);
        engine.Init(true, new KeyParameter(Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210")));
        var second = new byte[8];
        engine.ProcessBlock(block, second);

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(15)]
    [InlineData(32)]
    public void Init_KeyOfWrongLength_Throws(int length)
    {
        var engine = OpenSslTdesEngine.Create();

        Assert.Throws<ArgumentException>(() => engine.Init(true, new KeyParameter(new byte[length])));
    }

    [Fact]
    public void ProcessBlock_BeforeInit_Throws()
    {
        var engine = OpenSslTdesEngine.Create();

        Assert.Throws<InvalidOperationException>(() => engine.ProcessBlock(new byte[8], new byte[8]));
    }

    [Fact]
    public void ProcessBlock_ShortBuffers_Throw()
    {
        var engine = OpenSslTdesEngine.Create();
        engine.Init(true, new KeyParameter(new byte[16] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }));

        Assert.Throws<ArgumentException>(() => engine.ProcessBlock(new byte[7], new byte[8]));
        Assert.Throws<ArgumentException>(() => engine.ProcessBlock(new byte[8], new byte[4]));
    }
}
