using Ttp.Crypto.KeyBlocks;
using static Ttp.Crypto.Tests.KeyBlocks.Tr31PublishedVectors;
using static Ttp.Crypto.Tests.KeyBlocks.Tr31TestSupport;

namespace Ttp.Crypto.Tests.KeyBlocks;

/// <summary>
/// <see cref="Tr31Wrapper"/> (one KBPK, KBEK/KBAK derived once): published blocks reproduced byte for byte through one
/// wrapper, several published keys wrapped with one wrapper and unwrapped by <see cref="Tr31KeyBlock.Unwrap"/>, and the
/// checks the wrapper adds (version, dispose).
/// </summary>
public sealed class Tr31WrapperTests
{
    private static readonly Tr31Header A722Header = new()
    {
        Version = 'B', KeyUsage = "P0", Algorithm = 'T', ModeOfUse = 'E', Exportability = 'E',
    };

    private static readonly Tr31Header A732Header = new()
    {
        Version = 'B', KeyUsage = "B0", Algorithm = 'T', ModeOfUse = 'X', KeyVersionNumber = "12", Exportability = 'S',
        OptionalBlocks = [new Tr31OptionalBlock("KS", A732KeySerialNumber)],
    };

    private static readonly Tr31Header A74Header = new()
    {
        Version = 'D', KeyUsage = "P0", Algorithm = 'A', ModeOfUse = 'E', Exportability = 'E',
    };

    [Fact]
    public void WrapWithPadding_Tr31A74AndX9143Example81_ReproducePublishedBlocksWithOneWrapper()
    {
        // TR-31:2018, A.7.4 and ANSI X9.143:2021, 8.1 (openemv/tr31 test/tr31_decrypt_test.c test6 and test11): the same
        // AES-256 KBPK and key, each with the random padding its example prints.
        using var wrapper = Tr31KeyBlock.CreateWrapper(Bytes(A74Kbpk), 'D');

        var a74 = wrapper.WrapWithPadding(A74Header, Bytes(A74Key), Bytes(A74Padding));
        var example81 = wrapper.WrapWithPadding(A74Header, Bytes(A74Key), Bytes(X9143Example81Padding));

        Assert.Equal(A74Block, a74);
        Assert.Equal(X9143Example81Block, example81);
    }

    [Fact]
    public void WrapWithPadding_Tr31A722_ReproducesPublishedBlock()
    {
        // TR-31:2018, A.7.2.2 (openemv/tr31 test/tr31_decrypt_test.c test3), with the padding carried in that block.
        using var wrapper = Tr31KeyBlock.CreateWrapper(Bytes(A722Kbpk), 'B');

        var block = wrapper.WrapWithPadding(A722Header, Bytes(A722Key), Bytes(A722Padding));

        Assert.Equal(A722Block, block);
    }

    [Fact]
    public void WrapWithPadding_Tr31A732AndX9143Example842_ReproducePublishedBlocksWithOneWrapper()
    {
        // TR-31:2018, A.7.3.2 and ANSI X9.143:2021, 8.4.2 (openemv/tr31 test/tr31_decrypt_test.c test5 and test16): the
        // same TDES KBPK, key and KS block, with the padding carried in each block.
        using var wrapper = Tr31KeyBlock.CreateWrapper(Bytes(A732Kbpk), 'B');

        var a732 = wrapper.WrapWithPadding(A732Header, Bytes(A732Key), Bytes(A732Padding));
        var example842 = wrapper.WrapWithPadding(A732Header, Bytes(A732Key), Bytes(X9143Example842Padding));

        Assert.Equal(A732Block, a732);
        Assert.Equal(X9143Example842Block, example842);
    }

    [Fact]
    public void Wrap_SeveralKeysUnderVersionD_EachUnwrapsToItsKeyAndHeader()
    {
        // TR-31:2018 A.7.4 AES-256 KBPK; keys: A.7.4 (AES-128), openemv Thales payShield examples (AES-256, TDES),
        // A.7.2.2 (TDES), each with its KC block, and one KP block for the KBPK.
        var kbpk = Bytes(A74Kbpk);
        (string Usage, char Algorithm, string Key)[] keys =
        [
            ("D0", 'A', A74Key),
            ("M6", 'A', ThalesAesKeyInD),
            ("K0", 'T', ThalesTdesKeyInD),
            ("P0", 'T', A722Key),
        ];
        using var wrapper = Tr31KeyBlock.CreateWrapper(kbpk, 'D');

        foreach (var (usage, algorithm, keyHex) in keys)
        {
            var header = new Tr31Header
            {
                Version = 'D', KeyUsage = usage, Algorithm = algorithm, ModeOfUse = 'B', KeyVersionNumber = "01",
                Exportability = 'E',
                OptionalBlocks =
                [
                    Tr31OptionalBlock.KeyCheckValueOf(Bytes(keyHex), aes: algorithm == 'A'),
                    Tr31OptionalBlock.KbpkCheckValueOf(kbpk, aes: true),
                ],
            };

            var block = wrapper.Wrap(header, Bytes(keyHex));

            using var result = Tr31KeyBlock.Unwrap(kbpk, block);
            Assert.Equal(keyHex, Convert.ToHexString(result.Key));
            AssertHeader(result.Header, 'D', usage, algorithm, 'B', "01", 'E');
            Assert.Equal(header.OptionalBlocks, result.Header.OptionalBlocks);
        }
    }

    [Theory]
    // knovichikhin/psec test_kb_known_values: 2-key and 3-key TDES KBPKs; keys from psec, TR-31:2018 A.7.2.1, A.7.2.2
    // and A.7.3.2.
    [InlineData(PsecTwoKeyKbpk)]
    [InlineData(PsecThreeKeyKbpk)]
    public void Wrap_SeveralKeysUnderVersionB_EachUnwrapsToItsKey(string kbpkHex)
    {
        var kbpk = Bytes(kbpkHex);
        string[] keys = [PsecKey, A721Key, A722Key, A732Key];
        using var wrapper = Tr31KeyBlock.CreateWrapper(kbpk, 'B');

        var blocks = keys.Select(key => wrapper.Wrap(A722Header, Bytes(key))).ToList();

        for (var i = 0; i < keys.Length; i++)
        {
            using var result = Tr31KeyBlock.Unwrap(kbpk, blocks[i]);
            Assert.Equal(keys[i], Convert.ToHexString(result.Key));
            AssertHeader(result.Header, 'B', "P0", 'T', 'E', "00", 'E');
        }
    }

    [Fact]
    public void Wrap_SameKeyTwice_UsesFreshPadding()
    {
        // TR-31:2018, A.7.2.2 KBPK and key (openemv/tr31 test/tr31_decrypt_test.c test3).
        using var wrapper = Tr31KeyBlock.CreateWrapper(Bytes(A722Kbpk), 'B');

        var first = wrapper.Wrap(A722Header, Bytes(A722Key));
        var second = wrapper.Wrap(A722Header, Bytes(A722Key));

        Assert.Equal(first[..16], second[..16]);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Wrap_HeaderOfAnotherVersion_ThrowsHeaderInvalid()
    {
        using var wrapper = Tr31KeyBlock.CreateWrapper(Bytes(A74Kbpk), 'D');

        var exception = AssertFails(Tr31Error.HeaderInvalid, () => wrapper.Wrap(A722Header, Bytes(A722Key)));

        Assert.Contains("version B", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrap_KpBlockOfAnotherKbpk_ThrowsKbpkCheckValueMismatch()
    {
        // KP of the TR-31:2018 A.7.2.1 KBPK on a block protected by the A.7.2.2 KBPK.
        var header = A722Header with { OptionalBlocks = [Tr31OptionalBlock.KbpkCheckValueOf(Bytes(A721Kbpk), aes: false)] };
        using var wrapper = Tr31KeyBlock.CreateWrapper(Bytes(A722Kbpk), 'B');

        AssertFails(Tr31Error.KbpkCheckValueMismatch, () => wrapper.Wrap(header, Bytes(A722Key)));
    }

    [Fact]
    public void Wrap_KeyCheckValueVouchedFor_WrittenAsGivenAndTheBlockStillUnwraps()
    {
        // TR-31:2018, A.7.2.2 KBPK and key; the KC block the caller computed from the key (legacy, as KeyDelivery does).
        var kc = Tr31OptionalBlock.KeyCheckValueOf(Bytes(A722Key), aes: false);
        var header = A722Header with { OptionalBlocks = [kc, Tr31OptionalBlock.KbpkCheckValueOf(Bytes(A722Kbpk), aes: false)] };
        using var wrapper = Tr31KeyBlock.CreateWrapper(Bytes(A722Kbpk), 'B');

        var block = wrapper.Wrap(header, Bytes(A722Key), keyCheckValueComputedFromKey: true);

        using var result = Tr31KeyBlock.Unwrap(Bytes(A722Kbpk), block); // Unwrap checks KC against the key it opens
        Assert.Equal(A722Key, Convert.ToHexString(result.Key));
        Assert.Equal(kc, result.Header.FindOptionalBlock("KC"));
    }

    [Fact]
    public void Wrap_KeyCheckValueVouchedFor_KpOfAnotherKbpkStillThrowsKbpkCheckValueMismatch()
    {
        var header = A722Header with
        {
            OptionalBlocks = [Tr31OptionalBlock.KeyCheckValueOf(Bytes(A722Key), aes: false), Tr31OptionalBlock.KbpkCheckValueOf(Bytes(A721Kbpk), aes: false)],
        };
        using var wrapper = Tr31KeyBlock.CreateWrapper(Bytes(A722Kbpk), 'B');

        AssertFails(Tr31Error.KbpkCheckValueMismatch, () => wrapper.Wrap(header, Bytes(A722Key), keyCheckValueComputedFromKey: true));
    }

    [Fact]
    public void Wrap_KeyCheckValueVouchedFor_MalformedKcStillThrowsOptionalBlockInvalid()
    {
        var header = A722Header with { OptionalBlocks = [new Tr31OptionalBlock("KC", "00ZZZZZZ")] };
        using var wrapper = Tr31KeyBlock.CreateWrapper(Bytes(A722Kbpk), 'B');

        AssertFails(Tr31Error.OptionalBlockInvalid, () => wrapper.Wrap(header, Bytes(A722Key), keyCheckValueComputedFromKey: true));
    }

    [Fact]
    public void Wrap_KeyCheckValueOfAnotherKeyNotVouchedFor_ThrowsKeyCheckValueMismatch()
    {
        // The default wrap computes KC again: a block of another key (TR-31:2018 A.7.2.1's) is refused.
        var header = A722Header with { OptionalBlocks = [Tr31OptionalBlock.KeyCheckValueOf(Bytes(A721Key), aes: false)] };
        using var wrapper = Tr31KeyBlock.CreateWrapper(Bytes(A722Kbpk), 'B');

        AssertFails(Tr31Error.KeyCheckValueMismatch, () => wrapper.Wrap(header, Bytes(A722Key)));
    }

    [Fact]
    public void Wrap_AfterDispose_ThrowsObjectDisposed()
    {
        var wrapper = Tr31KeyBlock.CreateWrapper(Bytes(A722Kbpk), 'B');
        wrapper.Dispose();

        Assert.Throws<ObjectDisposedException>(() => wrapper.Wrap(A722Header, Bytes(A722Key)));
        Assert.Throws<ObjectDisposedException>(() => wrapper.KbpkCheckValueBlock());
    }

    [Theory]
    [InlineData('A')]
    [InlineData('C')]
    [InlineData('E')]
    public void CreateWrapper_UnsupportedVersion_ThrowsUnsupportedVersion(char version)
    {
        AssertFails(Tr31Error.UnsupportedVersion, () => Tr31KeyBlock.CreateWrapper(Bytes(A722Kbpk), version));
    }

    [Fact]
    public void CreateWrapper_AesKbpkForVersionB_ThrowsKbpkLengthInvalid()
    {
        AssertFails(Tr31Error.KbpkLengthInvalid, () => Tr31KeyBlock.CreateWrapper(Bytes(A74Kbpk), 'B'));
    }

    [Fact]
    public void CreateWrapper_EightByteKbpkForVersionD_ThrowsKbpkLengthInvalid()
    {
        AssertFails(Tr31Error.KbpkLengthInvalid, () => Tr31KeyBlock.CreateWrapper(Bytes(A74Kbpk).AsSpan(0, 8), 'D'));
    }
}
