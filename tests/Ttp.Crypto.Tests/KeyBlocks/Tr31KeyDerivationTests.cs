using Ttp.Crypto.KeyBlocks;
using static Ttp.Crypto.Tests.KeyBlocks.Tr31PublishedVectors;
using static Ttp.Crypto.Tests.KeyBlocks.Tr31TestSupport;

namespace Ttp.Crypto.Tests.KeyBlocks;

/// <summary>KBEK/KBAK derivation (ANSI X9.143:2021 5.3.2, 5.4.2) against openemv/tr31 test/tr31_crypto_test.c.</summary>
public sealed class Tr31KeyDerivationTests
{
    [Theory]
    // openemv/tr31 test/tr31_crypto_test.c test1: example data generated using a Thales payShield 10k HSM.
    [InlineData(ThalesTdesKbpk, ThalesTdesKbek, ThalesTdesKbak)]
    // openemv/tr31 test/tr31_crypto_test.c test3: TR-31:2018, A.7.2.2.
    [InlineData(A722Kbpk, A722Kbek, A722Kbak)]
    // openemv/tr31 test/tr31_crypto_test.c test5: TR-31:2018, A.7.3.2.
    [InlineData(A732Kbpk, A732Kbek, A732Kbak)]
    public void Derive_PublishedTdesKbpk_ReturnsPublishedKbekAndKbak(string kbpk, string expectedKbek, string expectedKbak)
    {
        var kbek = new byte[16];
        var kbak = new byte[16];

        Tr31KeyDerivation.Derive(aes: false, Bytes(kbpk), kbek, kbak);

        Assert.Equal(expectedKbek, Convert.ToHexString(kbek));
        Assert.Equal(expectedKbak, Convert.ToHexString(kbak));
    }

    [Theory]
    // openemv/tr31 test/tr31_crypto_test.c test6: TR-31:2018, A.7.4.
    [InlineData(A74Kbpk, A74Kbek, A74Kbak)]
    // openemv/tr31 test/tr31_crypto_test.c test8: ISO 20038:2017, B.3 (CBC mode, as version D).
    [InlineData(Iso20038Kbpk, Iso20038Kbek, Iso20038Kbak)]
    public void Derive_PublishedAes256Kbpk_ReturnsPublishedKbekAndKbak(string kbpk, string expectedKbek, string expectedKbak)
    {
        var kbek = new byte[32];
        var kbak = new byte[32];

        Tr31KeyDerivation.Derive(aes: true, Bytes(kbpk), kbek, kbak);

        Assert.Equal(expectedKbek, Convert.ToHexString(kbek));
        Assert.Equal(expectedKbak, Convert.ToHexString(kbak));
    }
}
