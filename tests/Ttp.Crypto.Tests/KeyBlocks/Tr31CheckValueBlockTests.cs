using Ttp.Crypto.KeyBlocks;

namespace Ttp.Crypto.Tests.KeyBlocks;

/// <summary>
/// The check-value blocks a caller builds from values it already holds (<see cref="Tr31OptionalBlock.LegacyKeyCheckValue"/>,
/// <see cref="Tr31Wrapper.KbpkCheckValueBlock"/>): the same blocks as those computed from the keys.
/// </summary>
public sealed class Tr31CheckValueBlockTests
{
    // The GlobalPlatform default test key 404142...4F; its published DES check value is 8BAF47.
    private static readonly byte[] GpTestKey = Convert.FromHexString("404142434445464748494A4B4C4D4E4F");

    [Fact]
    public void LegacyKeyCheckValue_GpTestKeyCheckValue_SameBlockAsComputedFromTheKey()
    {
        var block = Tr31OptionalBlock.LegacyKeyCheckValue(KeyCheckValue.Des(GpTestKey));

        Assert.Equal(new Tr31OptionalBlock("KC", "008BAF47"), block);
        Assert.Equal(Tr31OptionalBlock.KeyCheckValueOf(GpTestKey, aes: false), block);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(5)]
    public void LegacyKeyCheckValue_NotThreeBytes_RefusedNamingTheLength(int length)
    {
        var refused = Assert.Throws<CryptoInputException>(() => Tr31OptionalBlock.LegacyKeyCheckValue(new byte[length]));

        Assert.Contains($"found {length} bytes", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('B', "404142434445464748494A4B4C4D4E4F", false)]
    [InlineData('D', "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6", true)]
    public void KbpkCheckValueBlock_EachVersion_SameBlockAsKbpkCheckValueOfAndAcceptedByWrap(char version, string kbpkHex, bool aes)
    {
        var kbpk = Convert.FromHexString(kbpkHex);
        using var wrapper = Tr31KeyBlock.CreateWrapper(kbpk, version);

        var block = wrapper.KbpkCheckValueBlock();
        var wrapped = wrapper.Wrap(
            new Tr31Header
            {
                Version = version,
                KeyUsage = "K0",
                Algorithm = 'T',
                ModeOfUse = 'B',
                KeyVersionNumber = "00",
                Exportability = 'E',
                OptionalBlocks = [block],
            },
            GpTestKey);

        using var unwrapped = Tr31KeyBlock.Unwrap(kbpk, wrapped);
        Assert.Equal(Tr31OptionalBlock.KbpkCheckValueOf(kbpk, aes), block);
        Assert.Equal(GpTestKey, unwrapped.Key);
    }

    [Fact]
    public void Wrap_KbpkCheckValueOfAnotherKey_RefusedAfterTheCachedValueWasUsed()
    {
        using var wrapper = Tr31KeyBlock.CreateWrapper(GpTestKey, 'B');
        _ = wrapper.KbpkCheckValueBlock();
        var other = Tr31OptionalBlock.KbpkCheckValueOf(Convert.FromHexString("89E88CF7931444F334BD7547FC3F380C"), aes: false);

        var refused = Assert.Throws<Tr31Exception>(() => wrapper.Wrap(
            new Tr31Header
            {
                Version = 'B',
                KeyUsage = "K0",
                Algorithm = 'T',
                ModeOfUse = 'B',
                KeyVersionNumber = "00",
                Exportability = 'E',
                OptionalBlocks = [other],
            },
            GpTestKey));

        Assert.Equal(Tr31Error.KbpkCheckValueMismatch, refused.Error);
    }
}
