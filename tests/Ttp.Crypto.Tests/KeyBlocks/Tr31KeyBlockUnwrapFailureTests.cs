using Ttp.Crypto.KeyBlocks;
using static Ttp.Crypto.Tests.KeyBlocks.Tr31PublishedVectors;
using static Ttp.Crypto.Tests.KeyBlocks.Tr31TestSupport;

namespace Ttp.Crypto.Tests.KeyBlocks;

/// <summary>
/// Every way <see cref="Tr31KeyBlock.Unwrap"/> refuses a block, each with its own <see cref="Tr31Error"/>. The blocks
/// are published ones (psec's own failure vectors, or published blocks with one named change).
/// </summary>
public sealed class Tr31KeyBlockUnwrapFailureTests
{
    [Fact]
    public void Unwrap_MacCharacterFlipped_ThrowsMacMismatch()
    {
        // TR-31:2018, A.7.2.2 (openemv/tr31 test/tr31_decrypt_test.c test3), last MAC digit E -> F.
        var block = WithCharacter(A722Block, A722Block.Length - 1, 'F');

        AssertFails(Tr31Error.MacMismatch, () => Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block));
    }

    [Fact]
    public void Unwrap_EncryptedKeyDataCharacterFlipped_ThrowsMacMismatch()
    {
        // TR-31:2018, A.7.2.2 (openemv/tr31 test/tr31_decrypt_test.c test3), first key data digit 9 -> 8.
        var block = WithCharacter(A722Block, 16, '8');

        AssertFails(Tr31Error.MacMismatch, () => Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block));
    }

    [Fact]
    public void Unwrap_HeaderChangedToAnotherValidValue_ThrowsMacMismatch()
    {
        // TR-31:2018, A.7.2.2 (openemv/tr31 test/tr31_decrypt_test.c test3), exportability E -> N: the header still
        // parses, so the MAC, which covers the header, catches the change.
        var block = WithCharacter(A722Block, 11, 'N');

        AssertFails(Tr31Error.MacMismatch, () => Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block));
    }

    [Fact]
    public void Unwrap_HeaderChangedToInvalidValue_ThrowsHeaderInvalid()
    {
        // TR-31:2018, A.7.2.2 (openemv/tr31 test/tr31_decrypt_test.c test3), mode of use E -> '_': refused while parsing,
        // before any cryptography.
        var block = WithCharacter(A722Block, 8, '_');

        AssertFails(Tr31Error.HeaderInvalid, () => Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block));
    }

    [Theory]
    [InlineData(5, 'p')]   // key usage
    [InlineData(7, 'X')]   // algorithm
    [InlineData(9, '-')]   // key version number
    [InlineData(11, 'Q')]  // exportability
    [InlineData(14, '3')]  // key context
    [InlineData(15, '1')]  // reserved
    public void Unwrap_HeaderFieldOutsideItsAlphabet_ThrowsHeaderInvalid(int position, char replacement)
    {
        // TR-31:2018, A.7.2.2 (openemv/tr31 test/tr31_decrypt_test.c test3) with one header field changed.
        var block = WithCharacter(A722Block, position, replacement);

        AssertFails(Tr31Error.HeaderInvalid, () => Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block));
    }

    [Fact]
    public void Unwrap_WrongKbpk_ThrowsMacMismatch()
    {
        // TR-31:2018, A.7.2.2 block under the A.7.2.1 KBPK (openemv/tr31 test/tr31_decrypt_test.c test2 and test3).
        AssertFails(Tr31Error.MacMismatch, () => Tr31KeyBlock.Unwrap(Bytes(A721Kbpk), A722Block));
    }

    [Fact]
    public void Unwrap_PsecMacMismatchVector_ThrowsMacMismatch()
    {
        // knovichikhin/psec tests/test_tr31.py test_kb_unwrap_exceptions: "Key block MAC doesn't match generated MAC."
        AssertFails(Tr31Error.MacMismatch, () => Tr31KeyBlock.Unwrap(Bytes(PsecExceptionsKbpk), PsecMacDisagrees));
    }

    [Theory]
    // knovichikhin/psec tests/test_tr31.py test_kb_unwrap_exceptions: header length (40) doesn't match input length (16).
    [InlineData(PsecLengthDisagrees)]
    // knovichikhin/psec tests/test_tr31.py test_kb_unwrap_exceptions: header length (X040) is malformed.
    [InlineData(PsecLengthNotDigits)]
    // knovichikhin/psec tests/test_tr31.py test_kb_unwrap_exceptions: MAC is malformed (block too short).
    [InlineData(PsecTooShort)]
    // knovichikhin/psec tests/test_tr31.py test_kb_unwrap_exceptions: encrypted key is malformed (no key data).
    [InlineData(PsecNoKeyData)]
    public void Unwrap_PsecLengthVector_ThrowsLengthMismatch(string block)
    {
        AssertFails(Tr31Error.LengthMismatch, () => Tr31KeyBlock.Unwrap(Bytes(PsecExceptionsKbpk), block));
    }

    [Fact]
    public void Unwrap_LengthFieldDisagreesWithBlock_ThrowsLengthMismatch()
    {
        // TR-31:2018, A.7.2.2 (openemv/tr31 test/tr31_decrypt_test.c test3), length field 0080 -> 0088.
        var block = WithCharacter(A722Block, 4, '8');

        AssertFails(Tr31Error.LengthMismatch, () => Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block));
    }

    [Fact]
    public void Unwrap_LengthNotMultipleOfBlockSize_ThrowsLengthMismatch()
    {
        // TR-31:2018, A.7.2.2 (openemv/tr31 test/tr31_decrypt_test.c test3) cut by one character, length field 0079.
        var block = "B0079" + A722Block[5..^1];

        AssertFails(Tr31Error.LengthMismatch, () => Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block));
    }

    [Fact]
    public void Unwrap_PsecEncryptedKeyNotHex_ThrowsInvalidCharacters()
    {
        // knovichikhin/psec tests/test_tr31.py test_kb_unwrap_exceptions: "Encrypted key must be valid hexchars."
        AssertFails(Tr31Error.InvalidCharacters, () => Tr31KeyBlock.Unwrap(Bytes(PsecExceptionsKbpk), PsecKeyDataNotHex));
    }

    [Fact]
    public void Unwrap_PsecMacNotHex_ThrowsInvalidCharacters()
    {
        // knovichikhin/psec tests/test_tr31.py test_kb_unwrap_exceptions: "Key block MAC must be valid hexchars."
        AssertFails(Tr31Error.InvalidCharacters, () => Tr31KeyBlock.Unwrap(Bytes(PsecExceptionsKbpk), PsecMacNotHex));
    }

    [Fact]
    public void Unwrap_LowercaseHex_ThrowsInvalidCharacters()
    {
        // TR-31:2018, A.7.2.2 (openemv/tr31 test/tr31_decrypt_test.c test3) with its key data and MAC in lower case:
        // ANSI X9.143:2021 clause 4 allows uppercase hex digits only.
        var block = string.Concat(A722Block.AsSpan(0, 16), A722Block[16..].ToLowerInvariant());

        AssertFails(Tr31Error.InvalidCharacters, () => Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block));
    }

    [Fact]
    public void Unwrap_RepeatedOptionalBlockId_ThrowsOptionalBlockInvalid()
    {
        // psec psec/tr31.py documentation block with TT and PB (B0120...TT0EHelloWorldPB0A000000...): PB renamed TT,
        // so TT appears twice (ANSI X9.143:2021 6.3.6 forbids repeated ids).
        var block = PsecDocPaddedBlock.Replace("PB0A", "TT0A", StringComparison.Ordinal);

        AssertFails(Tr31Error.OptionalBlockInvalid, () => Tr31KeyBlock.Unwrap(Bytes(PsecDocKbpk), block));
    }

    [Fact]
    public void Unwrap_ExtendedLengthOfLengthCountedInBytes_ThrowsOptionalBlockInvalid()
    {
        // ANSI X9.143:2021 8.6 (openemv/tr31 test/tr31_decrypt_test.c test18) writes the CT block's extended length as
        // 00 04 05CC: the length of the length counts characters (6.2). Written as 00 02 05CC (counting bytes, as psec
        // does), the length reads as 05, shorter than the block's own id and length fields.
        var block = X9143Example86Block.Replace("CT000405CC", "CT000205CC", StringComparison.Ordinal);
        Assert.NotEqual(X9143Example86Block, block);

        var error = AssertFails(Tr31Error.OptionalBlockInvalid, () => Tr31KeyBlock.Unwrap(Bytes(A74Kbpk), block));

        Assert.Equal("block: the length of optional block 1 does not cover its own id and length", error.Message);
    }

    [Fact]
    public void Unwrap_PaddingBlockNotLast_ThrowsOptionalBlockInvalid()
    {
        // psec psec/tr31.py documentation block: TT renamed PB, so a PB block precedes the last block.
        var block = PsecDocPaddedBlock.Replace("TT0E", "PB0E", StringComparison.Ordinal);

        AssertFails(Tr31Error.OptionalBlockInvalid, () => Tr31KeyBlock.Unwrap(Bytes(PsecDocKbpk), block));
    }

    [Theory]
    [InlineData('\u0003')]
    [InlineData('\u00E9')]
    public void Unwrap_CharacterNotPrintableAscii_ThrowsInvalidCharacters(char replacement)
    {
        // TR-31:2018, A.7.2.2 (openemv/tr31 test/tr31_decrypt_test.c test3) with a key usage character replaced.
        var block = WithCharacter(A722Block, 5, replacement);

        AssertFails(Tr31Error.InvalidCharacters, () => Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block));
    }

    [Fact]
    public void Unwrap_OptionalBlockCountTooHigh_ThrowsOptionalBlockInvalid()
    {
        // TR-31:2018, A.7.3.2 (openemv/tr31 test/tr31_decrypt_test.c test5), one KS block but count 01 -> 02.
        var block = WithCharacter(A732Block, 13, '2');

        AssertFails(Tr31Error.OptionalBlockInvalid, () => Tr31KeyBlock.Unwrap(Bytes(A732Kbpk), block));
    }

    [Fact]
    public void Unwrap_OptionalBlockCountTooLow_ThrowsOptionalBlockInvalid()
    {
        // TR-31:2018, A.7.3.2 (openemv/tr31 test/tr31_decrypt_test.c test5), one KS block but count 01 -> 00.
        var block = WithCharacter(A732Block, 13, '0');

        AssertFails(Tr31Error.OptionalBlockInvalid, () => Tr31KeyBlock.Unwrap(Bytes(A732Kbpk), block));
    }

    [Fact]
    public void Unwrap_OptionalBlockCountNotDigits_ThrowsOptionalBlockInvalid()
    {
        // TR-31:2018, A.7.3.2 (openemv/tr31 test/tr31_decrypt_test.c test5), count 01 -> 0X.
        var block = WithCharacter(A732Block, 13, 'X');

        AssertFails(Tr31Error.OptionalBlockInvalid, () => Tr31KeyBlock.Unwrap(Bytes(A732Kbpk), block));
    }

    [Fact]
    public void Unwrap_OptionalBlockLengthPastHeader_ThrowsOptionalBlockInvalid()
    {
        // TR-31:2018, A.7.3.2 (openemv/tr31 test/tr31_decrypt_test.c test5), KS length 18 -> F8.
        var block = WithCharacter(A732Block, 18, 'F');

        AssertFails(Tr31Error.OptionalBlockInvalid, () => Tr31KeyBlock.Unwrap(Bytes(A732Kbpk), block));
    }

    [Fact]
    public void Unwrap_OptionalBlockLengthNotHex_ThrowsOptionalBlockInvalid()
    {
        // TR-31:2018, A.7.3.2 (openemv/tr31 test/tr31_decrypt_test.c test5), KS length 18 -> 1Y.
        var block = WithCharacter(A732Block, 19, 'Y');

        AssertFails(Tr31Error.OptionalBlockInvalid, () => Tr31KeyBlock.Unwrap(Bytes(A732Kbpk), block));
    }

    [Fact]
    public void Unwrap_MalformedKcBlock_ThrowsOptionalBlockInvalid()
    {
        // TR-31:2018, A.7.3.2 (openemv/tr31 test/tr31_decrypt_test.c test5), block id KS -> KC: 20 data characters
        // are not "00" + 3 bytes or "01" + 5 bytes of check value.
        var block = WithCharacter(A732Block, 17, 'C');

        AssertFails(Tr31Error.OptionalBlockInvalid, () => Tr31KeyBlock.Unwrap(Bytes(A732Kbpk), block));
    }

    [Theory]
    // openemv/tr31 test/tr31_decrypt_test.c test1 (Thales, format A) and test2 (TR-31:2018, A.7.2.1).
    [InlineData(ThalesTdesKbpk, ThalesBlockA)]
    [InlineData(A721Kbpk, A721Block)]
    // knovichikhin/psec tests/test_tr31.py test_kb_known_values, version A with a 3-key KBPK.
    [InlineData(PsecThreeKeyKbpk, PsecBlockA)]
    public void Unwrap_VersionA_ThrowsUnsupportedVersionNamingVariantBinding(string kbpk, string block)
    {
        var exception = AssertFails(Tr31Error.UnsupportedVersion, () => Tr31KeyBlock.Unwrap(Bytes(kbpk), block));

        Assert.Contains("variant binding", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    // openemv/tr31 test/tr31_decrypt_test.c test1 (Thales, format C), test4 (TR-31:2018, A.7.3.1) and
    // test15 (ANSI X9.143:2021, 8.4.1).
    [InlineData(ThalesTdesKbpk, ThalesBlockC)]
    [InlineData(A731Kbpk, A731Block)]
    [InlineData(A731Kbpk, X9143Example841Block)]
    // knovichikhin/psec tests/test_tr31.py test_kb_known_values, version C with a 3-key KBPK.
    [InlineData(PsecThreeKeyKbpk, PsecBlockC)]
    public void Unwrap_VersionC_ThrowsUnsupportedVersionNamingVariantBinding(string kbpk, string block)
    {
        var exception = AssertFails(Tr31Error.UnsupportedVersion, () => Tr31KeyBlock.Unwrap(Bytes(kbpk), block));

        Assert.Contains("variant binding", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unwrap_UnknownVersion_ThrowsUnsupportedVersion()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test9: ISO 20038:2017, B.2 (version E).
        AssertFails(Tr31Error.UnsupportedVersion, () => Tr31KeyBlock.Unwrap(Bytes(Iso20038Kbpk), Iso20038BlockE));
    }

    [Fact]
    public void Unwrap_PsecEightByteKbpkForVersionB_ThrowsKbpkLengthInvalid()
    {
        // knovichikhin/psec tests/test_tr31.py test_kb_unwrap_exceptions: "KBPK length (8) must be 2-key or 3-key TDES."
        AssertFails(Tr31Error.KbpkLengthInvalid, () => Tr31KeyBlock.Unwrap(Bytes(PsecExceptionsKbpk).AsSpan(0, 8), PsecWellFormed));
    }

    [Fact]
    public void Unwrap_AesKbpkForVersionB_ThrowsKbpkLengthInvalid()
    {
        // TR-31:2018, A.7.2.2 block (version B) given the 32-byte A.7.4 KBPK.
        AssertFails(Tr31Error.KbpkLengthInvalid, () => Tr31KeyBlock.Unwrap(Bytes(A74Kbpk), A722Block));
    }

    [Fact]
    public void Unwrap_EightByteKbpkForVersionD_ThrowsKbpkLengthInvalid()
    {
        // TR-31:2018, A.7.4 block (version D) given the first 8 bytes of its KBPK.
        AssertFails(Tr31Error.KbpkLengthInvalid, () => Tr31KeyBlock.Unwrap(Bytes(A74Kbpk).AsSpan(0, 8), A74Block));
    }

    [Theory]
    // knovichikhin/psec tests/test_tr31.py test_kb_unwrap_exceptions: "These keys have length set to 0 bits."
    [InlineData(PsecKeyLengthZero)]
    // knovichikhin/psec tests/test_tr31.py test_kb_unwrap_exceptions: "length set to 128 bits where the key is 64 bits."
    [InlineData(PsecKeyLengthTooLong)]
    public void Unwrap_PsecDecryptedKeyLengthVector_ThrowsKeyLengthInvalid(string block)
    {
        AssertFails(Tr31Error.KeyLengthInvalid, () => Tr31KeyBlock.Unwrap(Bytes(PsecExceptionsKbpk), block));
    }

    [Fact]
    public void Unwrap_KcBlockOfAnotherKey_ThrowsKeyCheckValueMismatch()
    {
        // No published block carries a wrong KC: this one wraps the TR-31:2018 A.7.2.2 key under its KBPK with a correct
        // MAC but the KC of the A.7.2.1 key (openemv/tr31 test/tr31_decrypt_test.c test2 and test3).
        var header = new Tr31Header
        {
            Version = 'B', KeyUsage = "P0", Algorithm = 'T', ModeOfUse = 'E', Exportability = 'E',
            OptionalBlocks = [Tr31OptionalBlock.KeyCheckValueOf(Bytes(A721Key), aes: false)],
        };
        var block = Tr31KeyBlock.WrapWithPadding(
            Bytes(A722Kbpk), header, Bytes(A722Key), Bytes(A722Padding), verifyCheckValues: false);

        AssertFails(Tr31Error.KeyCheckValueMismatch, () => Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block));
    }

    [Fact]
    public void Unwrap_KpBlockOfAnotherKbpk_ThrowsKbpkCheckValueMismatch()
    {
        // As above, with the KP of the TR-31:2018 A.7.2.1 KBPK on a block protected by the A.7.2.2 KBPK.
        var header = new Tr31Header
        {
            Version = 'B', KeyUsage = "P0", Algorithm = 'T', ModeOfUse = 'E', Exportability = 'E',
            OptionalBlocks = [Tr31OptionalBlock.KbpkCheckValueOf(Bytes(A721Kbpk), aes: false)],
        };
        var block = Tr31KeyBlock.WrapWithPadding(
            Bytes(A722Kbpk), header, Bytes(A722Key), Bytes(A722Padding), verifyCheckValues: false);

        AssertFails(Tr31Error.KbpkCheckValueMismatch, () => Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block));
    }

    [Fact]
    public void Unwrap_FailureMessage_HoldsNeitherKeyNorBlock()
    {
        // TR-31:2018, A.7.2.2 (openemv/tr31 test/tr31_decrypt_test.c test3) with a flipped MAC digit.
        var block = WithCharacter(A722Block, A722Block.Length - 1, 'F');

        var exception = AssertFails(Tr31Error.MacMismatch, () => Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block));

        Assert.DoesNotContain(A722Block[16..32], exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(A722Key[..8], exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(A722Kbpk[..8], exception.Message, StringComparison.OrdinalIgnoreCase);
    }
}
