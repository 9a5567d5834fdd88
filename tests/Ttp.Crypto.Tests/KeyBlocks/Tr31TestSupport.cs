using Ttp.Crypto.KeyBlocks;

namespace Ttp.Crypto.Tests.KeyBlocks;

/// <summary>Small helpers shared by the TR-31 tests.</summary>
internal static class Tr31TestSupport
{
    internal static byte[] Bytes(string hex) => Convert.FromHexString(hex);

    internal static void AssertHeader(
        Tr31Header header,
        char version,
        string keyUsage,
        char algorithm,
        char modeOfUse,
        string keyVersionNumber,
        char exportability,
        string keyContext = "00")
    {
        Assert.Equal(version, header.Version);
        Assert.Equal(keyUsage, header.KeyUsage);
        Assert.Equal(algorithm, header.Algorithm);
        Assert.Equal(modeOfUse, header.ModeOfUse);
        Assert.Equal(keyVersionNumber, header.KeyVersionNumber);
        Assert.Equal(exportability, header.Exportability);
        Assert.Equal(keyContext, header.KeyContext);
    }

    internal static Tr31Exception AssertFails(Tr31Error expected, Action action)
    {
        var exception = Assert.Throws<Tr31Exception>(action);
        Assert.Equal(expected, exception.Error);
        Assert.Equal("block", exception.Field);
        return exception;
    }

    /// <summary>Replaces the character at <paramref name="index"/>.</summary>
    internal static string WithCharacter(string block, int index, char replacement) =>
        string.Concat(block.AsSpan(0, index), replacement.ToString(), block.AsSpan(index + 1));
}
