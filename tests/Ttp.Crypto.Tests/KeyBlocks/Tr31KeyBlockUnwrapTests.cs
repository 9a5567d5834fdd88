using Ttp.Crypto.KeyBlocks;
using static Ttp.Crypto.Tests.KeyBlocks.Tr31PublishedVectors;
using static Ttp.Crypto.Tests.KeyBlocks.Tr31TestSupport;

namespace Ttp.Crypto.Tests.KeyBlocks;

/// <summary>
/// <see cref="Tr31KeyBlock.Unwrap"/> of published blocks: the whole key, every header field and the optional blocks.
/// Sources are named on each test and on the constants in <see cref="Tr31PublishedVectors"/>.
/// </summary>
public sealed class Tr31KeyBlockUnwrapTests
{
    [Fact]
    public void Unwrap_ThalesVersionB_ReturnsKeyHeaderAndCheckValue()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test1, format version B (Thales payShield 10k).
        using var result = Tr31KeyBlock.Unwrap(Bytes(ThalesTdesKbpk), ThalesBlockB);

        AssertHeader(result.Header, 'B', "K0", 'T', 'N', "00", 'N');
        Assert.Empty(result.Header.OptionalBlocks);
        Assert.Equal(ThalesKey, Convert.ToHexString(result.Key));
        Assert.Equal(ThalesKeyCheckValue, Convert.ToHexString(KeyCheckValue.Des(result.Key)));
    }

    [Fact]
    public void Unwrap_Tr31A722_ReturnsKeyHeaderAndCheckValue()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test3: TR-31:2018, A.7.2.2.
        using var result = Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), A722Block);

        AssertHeader(result.Header, 'B', "P0", 'T', 'E', "00", 'E');
        Assert.Empty(result.Header.OptionalBlocks);
        Assert.Equal(A722Key, Convert.ToHexString(result.Key));
        Assert.Equal(A722KeyCheckValue, Convert.ToHexString(KeyCheckValue.Des(result.Key)));
    }

    [Fact]
    public void Unwrap_Tr31A732WithKeySerialNumber_ReturnsKeyHeaderAndKsBlock()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test5: TR-31:2018, A.7.3.2.
        using var result = Tr31KeyBlock.Unwrap(Bytes(A732Kbpk), A732Block);

        AssertHeader(result.Header, 'B', "B0", 'T', 'X', "12", 'S');
        Assert.Equal([new Tr31OptionalBlock("KS", A732KeySerialNumber)], result.Header.OptionalBlocks);
        Assert.Equal(A732Key, Convert.ToHexString(result.Key));
        Assert.Equal(A732KeyCheckValue, Convert.ToHexString(KeyCheckValue.Des(result.Key)));
    }

    [Fact]
    public void Unwrap_Tr31A74VersionD_ReturnsAesKeyAndHeader()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test6: TR-31:2018, A.7.4.
        using var result = Tr31KeyBlock.Unwrap(Bytes(A74Kbpk), A74Block);

        AssertHeader(result.Header, 'D', "P0", 'A', 'E', "00", 'E');
        Assert.Empty(result.Header.OptionalBlocks);
        Assert.Equal(A74Key, Convert.ToHexString(result.Key));
    }

    [Fact]
    public void Unwrap_X9143Example81WithHiddenKeyLength_ReturnsKeyHeaderAndCmacCheckValue()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test11: ANSI X9.143:2021, 8.1.
        using var result = Tr31KeyBlock.Unwrap(Bytes(A74Kbpk), X9143Example81Block);

        AssertHeader(result.Header, 'D', "P0", 'A', 'E', "00", 'E');
        Assert.Empty(result.Header.OptionalBlocks);
        Assert.Equal(A74Key, Convert.ToHexString(result.Key));
        Assert.Equal(X9143Example81KeyCheckValue, Convert.ToHexString(KeyCheckValue.AesCmac(result.Key)));
    }

    [Fact]
    public void Unwrap_X9143Example842WithHiddenKeyLength_ReturnsKeyHeaderAndKsBlock()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test16: ANSI X9.143:2021, 8.4.2.
        using var result = Tr31KeyBlock.Unwrap(Bytes(A732Kbpk), X9143Example842Block);

        AssertHeader(result.Header, 'B', "B0", 'T', 'X', "12", 'S');
        Assert.Equal([new Tr31OptionalBlock("KS", A732KeySerialNumber)], result.Header.OptionalBlocks);
        Assert.Equal(A732Key, Convert.ToHexString(result.Key));
        Assert.Equal(A732KeyCheckValue, Convert.ToHexString(KeyCheckValue.Des(result.Key)));
    }

    [Fact]
    public void Unwrap_ThalesVersionDWithTdesKey_ReturnsKeyHeaderAndCheckValue()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test7 (Thales payShield 10k, version D containing a TDES key).
        using var result = Tr31KeyBlock.Unwrap(Bytes(ThalesAesKbpk), ThalesBlockDWithTdesKey);

        AssertHeader(result.Header, 'D', "B0", 'T', 'N', "00", 'N');
        Assert.Empty(result.Header.OptionalBlocks);
        Assert.Equal(ThalesTdesKeyInD, Convert.ToHexString(result.Key));
        Assert.Equal(ThalesTdesKeyInDCheckValue, Convert.ToHexString(KeyCheckValue.Des(result.Key)));
    }

    [Fact]
    public void Unwrap_ThalesVersionDWithAesKey_ReturnsKeyAndHeader()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test8 (Thales payShield 10k, version D containing an AES-256 key).
        using var result = Tr31KeyBlock.Unwrap(Bytes(ThalesAesKbpk), ThalesBlockDWithAesKey);

        AssertHeader(result.Header, 'D', "D0", 'A', 'N', "00", 'N');
        Assert.Empty(result.Header.OptionalBlocks);
        Assert.Equal(ThalesAesKeyInD, Convert.ToHexString(result.Key));
    }

    [Theory]
    // knovichikhin/psec tests/test_tr31.py test_kb_known_values: 2-key and 3-key TDES KBPK, version B.
    [InlineData(PsecTwoKeyKbpk, PsecTwoKeyBlock)]
    [InlineData(PsecThreeKeyKbpk, PsecThreeKeyBlock)]
    public void Unwrap_PsecKnownValue_ReturnsKeyAndHeader(string kbpk, string block)
    {
        using var result = Tr31KeyBlock.Unwrap(Bytes(kbpk), block);

        AssertHeader(result.Header, 'B', "M3", 'T', 'C', "00", 'E');
        Assert.Empty(result.Header.OptionalBlocks);
        Assert.Equal(PsecKey, Convert.ToHexString(result.Key));
    }

    [Fact]
    public void Unwrap_PsecKnownValueWithKsBlock_ReturnsKeyHeaderAndKsBlock()
    {
        // knovichikhin/psec tests/test_tr31.py test_kb_known_values (version B, key version 12, KS block).
        using var result = Tr31KeyBlock.Unwrap(Bytes(A721Kbpk), PsecKsBlock);

        AssertHeader(result.Header, 'B', "P0", 'T', 'E', "12", 'E');
        Assert.Equal([new Tr31OptionalBlock("KS", A732KeySerialNumber)], result.Header.OptionalBlocks);
        Assert.Equal(A721Key, Convert.ToHexString(result.Key));
    }

    [Fact]
    public void Unwrap_PsecDocumentationBlock_ReturnsKeyAndHeader()
    {
        // knovichikhin/psec psec/tr31.py module documentation, "To unwrap a key from TR-31 key block".
        using var result = Tr31KeyBlock.Unwrap(Bytes(PsecDocKbpk), PsecDocBlock);

        AssertHeader(result.Header, 'B', "P0", 'T', 'E', "00", 'N');
        Assert.Empty(result.Header.OptionalBlocks);
        Assert.Equal(PsecDocKey, Convert.ToHexString(result.Key));
    }

    [Fact]
    public void Unwrap_PsecDocumentationBlockWithPaddingBlock_ReturnsTtBlockWithoutPb()
    {
        // knovichikhin/psec psec/tr31.py module documentation, "Optional Blocks" (TT block and PB padding block).
        using var result = Tr31KeyBlock.Unwrap(Bytes(PsecDocKbpk), PsecDocPaddedBlock);

        AssertHeader(result.Header, 'B', "P0", 'T', 'E', "00", 'N');
        Assert.Equal([new Tr31OptionalBlock("TT", "HelloWorld")], result.Header.OptionalBlocks);
        Assert.Equal(PsecDocKey, Convert.ToHexString(result.Key));
    }

    [Fact]
    public void Unwrap_X9143Example86WithCtKpTsBlocks_ExposesBlocksAndKey()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test18: ANSI X9.143:2021, 8.6 (CT with an extended length, KP, TS, PB).
        using var result = Tr31KeyBlock.Unwrap(Bytes(A74Kbpk), X9143Example86Block);

        AssertHeader(result.Header, 'D', "S0", 'E', 'S', "00", 'N');
        var blocks = result.Header.OptionalBlocks;
        Assert.Equal(["CT", "KP", "TS"], blocks.Select(b => b.Id));
        Assert.Equal(X9143Example86Block.Substring(26, 0x5CC - 10), blocks[0].Data);
        Assert.Equal(X9143Example86KbpkCheckValue, blocks[1].Data);
        Assert.Equal(X9143Example86TimeStamp, blocks[2].Data);
        Assert.Equal(X9143Example86KbpkCheckValue, result.Header.FindOptionalBlock(Tr31OptionalBlock.KbpkCheckValueId)?.Data);
        Assert.Equal(X9143Example86Key, Convert.ToHexString(result.Key));
    }

    [Fact]
    public void Unwrap_X9143Example85WithAes128Kbpk_ExposesBlocksAndKey()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test17: ANSI X9.143:2021, 8.5 (AES-128 KBPK, RSA key, CT, KP, TS, PB).
        using var result = Tr31KeyBlock.Unwrap(Bytes(X9143Example85Kbpk), X9143Example85Block);

        AssertHeader(result.Header, 'D', "S0", 'R', 'S', "00", 'N');
        var blocks = result.Header.OptionalBlocks;
        Assert.Equal(["CT", "KP", "TS"], blocks.Select(b => b.Id));
        Assert.Equal(X9143Example85Block.Substring(26, 0x500 - 10), blocks[0].Data);
        Assert.Equal(X9143Example85KbpkCheckValue, blocks[1].Data);
        Assert.Equal(X9143Example85TimeStamp, blocks[2].Data);
        Assert.Equal(X9143Example85Key, Convert.ToHexString(result.Key));
    }

    [Fact]
    public void Dispose_AfterUnwrap_ZeroesKey()
    {
        // TR-31:2018, A.7.2.2 (openemv/tr31 test/tr31_decrypt_test.c test3).
        var result = Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), A722Block);
        var key = result.Key;

        result.Dispose();

        Assert.All(key, b => Assert.Equal(0, b));
    }
}
