using Ttp.Crypto.KeyBlocks;
using static Ttp.Crypto.Tests.KeyBlocks.Tr31PublishedVectors;
using static Ttp.Crypto.Tests.KeyBlocks.Tr31TestSupport;

namespace Ttp.Crypto.Tests.KeyBlocks;

/// <summary>The KC, KP and TS block helpers of <see cref="Tr31OptionalBlock"/> against published blocks.</summary>
public sealed class Tr31OptionalBlockTests
{
    [Fact]
    public void KeyCheckValueOf_TdesKey_ReturnsPublishedLegacyKcBlock()
    {
        // openemv/tr31 test/tr31_export_test.c "Optional blocks KC and KP": KC0C 00 57C409 for the TR-31:2018 A.7.2.2 key.
        var block = Tr31OptionalBlock.KeyCheckValueOf(Bytes(A722Key), aes: false);

        Assert.Equal(new Tr31OptionalBlock("KC", "0057C409"), block);
    }

    [Fact]
    public void KeyCheckValueOf_AesKey_ReturnsCmacKcBlock()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test11: ANSI X9.143:2021 8.1 key check value 08793E25AB (CMAC, 5 bytes).
        var block = Tr31OptionalBlock.KeyCheckValueOf(Bytes(A74Key), aes: true);

        Assert.Equal(new Tr31OptionalBlock("KC", "01" + X9143Example81KeyCheckValue), block);
    }

    [Theory]
    // openemv/tr31 test/tr31_decrypt_test.c test18 (ANSI X9.143:2021 8.6) and test17 (8.5): KP of AES-256 and AES-128 KBPKs.
    [InlineData(A74Kbpk, X9143Example86KbpkCheckValue)]
    [InlineData(X9143Example85Kbpk, X9143Example85KbpkCheckValue)]
    public void KbpkCheckValueOf_AesKbpk_ReturnsPublishedKpBlock(string kbpk, string expected)
    {
        var block = Tr31OptionalBlock.KbpkCheckValueOf(Bytes(kbpk), aes: true);

        Assert.Equal(new Tr31OptionalBlock("KP", expected), block);
    }

    [Fact]
    public void TimeStamp_UtcTime_ReturnsPublishedTsData()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test18: ANSI X9.143:2021 8.6 time stamp.
        var block = Tr31OptionalBlock.TimeStamp(new DateTimeOffset(2020, 8, 18, 0, 41, 0, TimeSpan.Zero));

        Assert.Equal(new Tr31OptionalBlock("TS", X9143Example86TimeStamp), block);
    }

    [Fact]
    public void TimeStamp_TimeWithOffset_ConvertsToUtc()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test17: ANSI X9.143:2021 8.5 time stamp, given at UTC+02:00.
        var block = Tr31OptionalBlock.TimeStamp(new DateTimeOffset(2020, 8, 19, 0, 12, 18, TimeSpan.FromHours(2)));

        Assert.Equal(X9143Example85TimeStamp, block.Data);
    }

    [Fact]
    public void Wrap_KpAndTsBlocks_EncodesThemAsPublished()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test18: ANSI X9.143:2021 8.6 header holds KP10012331550BC9TS1320200818004100Z.
        var kbpk = Bytes(A74Kbpk);
        var header = new Tr31Header
        {
            Version = 'D', KeyUsage = "P0", Algorithm = 'A', ModeOfUse = 'E', Exportability = 'E',
            OptionalBlocks =
            [
                Tr31OptionalBlock.KbpkCheckValueOf(kbpk, aes: true),
                Tr31OptionalBlock.TimeStamp(new DateTimeOffset(2020, 8, 18, 0, 41, 0, TimeSpan.Zero)),
            ],
        };

        var block = Tr31KeyBlock.Wrap(kbpk, header, Bytes(A74Key));

        Assert.Equal("D0192P0AE00E0300KP10012331550BC9TS1320200818004100ZPB0D000000000", block[..64]);
        using var result = Tr31KeyBlock.Unwrap(kbpk, block);
        Assert.Equal(header.OptionalBlocks, result.Header.OptionalBlocks);
    }

    [Fact]
    public void Wrap_LongOptionalBlock_UsesExtendedLengthAndRoundTrips()
    {
        // openemv/tr31 test/tr31_decrypt_test.c test18: the ANSI X9.143:2021 8.6 CT block (extended length 00 04 05CC).
        var ct = X9143Example86Block.Substring(26, 0x5CC - 10);
        var kbpk = Bytes(A74Kbpk);
        var header = new Tr31Header
        {
            Version = 'D', KeyUsage = "P0", Algorithm = 'A', ModeOfUse = 'E', Exportability = 'E',
            OptionalBlocks = [new Tr31OptionalBlock("CT", ct)],
        };

        var block = Tr31KeyBlock.Wrap(kbpk, header, Bytes(A74Key));

        Assert.Equal(X9143Example86Block[16..(16 + 0x5CC)], block[16..(16 + 0x5CC)]);
        using var result = Tr31KeyBlock.Unwrap(kbpk, block);
        Assert.Equal(A74Key, Convert.ToHexString(result.Key));
        Assert.Equal(ct, result.Header.OptionalBlocks[0].Data);
    }
}
