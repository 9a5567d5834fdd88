using System.Buffers;

namespace Ttp.Crypto.KeyBlocks;

/// <summary>The character-level rules of the TR-31 / ANSI X9.143:2021 header (clauses 4, 6.2 and 6.3), shared by wrap and unwrap.</summary>
internal static class Tr31Format
{
    /// <summary>Length of the fixed header (ANSI X9.143:2021 6.2, table 1).</summary>
    internal const int FixedHeaderLength = 16;

    /// <summary>The four-digit length field cannot say more (ANSI X9.143:2021 6.2, table 1).</summary>
    internal const int MaximumBlockLength = 9999;

    /// <summary>The two-digit count field cannot say more (ANSI X9.143:2021 6.2, table 1).</summary>
    internal const int MaximumOptionalBlocks = 99;

    /// <summary>An optional block length of up to this (id and length included) fits the two-hex-digit length field.</summary>
    internal const int MaximumShortBlockLength = 0xFF;

    /// <summary>Hex digits of key blocks: uppercase only (ANSI X9.143:2021 4).</summary>
    /// <summary>Buffers up to this many bytes or characters live on the stack; longer ones (large optional blocks) are pooled.</summary>
    internal const int StackLimit = 1024;

    internal static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789ABCDEF");

    private static readonly SearchValues<char> Algorithms = SearchValues.Create("ADEHRST0123456789");
    private static readonly SearchValues<char> ModesOfUse = SearchValues.Create("BCDEGNSTVXY0123456789");
    private static readonly SearchValues<char> Exportabilities = SearchValues.Create("ENS0123456789");

    internal static bool IsPrintable(char c) => c is >= ' ' and <= '~';

    internal static bool IsUpperAlphanumeric(char c) => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c);

    /// <summary>Cipher block size of the version: 8 for B (TDES), 16 for D (AES).</summary>
    internal static int BlockSize(char version) => version == 'D' ? 16 : 8;

    /// <summary>Accepts B and D; refuses A and C (variant binding) and anything else with <see cref="Tr31Error.UnsupportedVersion"/>.</summary>
    internal static void RequireSupportedVersion(char version)
    {
        switch (version)
        {
            case 'B' or 'D':
                return;
            case 'A' or 'C':
                throw new Tr31Exception(
                    Tr31Error.UnsupportedVersion,
                    $"version {version} uses key variant binding, which is refused; only versions B and D (key derivation binding) are accepted");
            default:
                throw new Tr31Exception(
                    Tr31Error.UnsupportedVersion,
                    "the version is not supported; only versions B and D (key derivation binding) are accepted");
        }
    }

    /// <summary>B needs a 16- or 24-byte TDES KBPK, D a 16-, 24- or 32-byte AES KBPK (ANSI X9.143:2021 7.2.2, 7.2.1).</summary>
    internal static void RequireKbpkLength(char version, int length)
    {
        var valid = version == 'D' ? length is 16 or 24 or 32 : length is 16 or 24;
        if (!valid)
        {
            throw new Tr31Exception(
                Tr31Error.KbpkLengthInvalid,
                version == 'D'
                    ? $"version D needs an AES KBPK of 16, 24 or 32 bytes, found {length} bytes"
                    : $"version B needs a TDES KBPK of 16 or 24 bytes, found {length} bytes");
        }
    }

    /// <summary>Checks the alphabet of each fixed header field (ANSI X9.143:2021 6.2, 6.3.1 to 6.3.5).</summary>
    internal static void ValidateFields(
        ReadOnlySpan<char> keyUsage,
        char algorithm,
        char modeOfUse,
        ReadOnlySpan<char> keyVersionNumber,
        char exportability,
        ReadOnlySpan<char> keyContext)
    {
        if (keyUsage.Length != 2 || !IsUpperAlphanumeric(keyUsage[0]) || !IsUpperAlphanumeric(keyUsage[1]))
        {
            throw HeaderInvalid("the key usage must be two uppercase letters or digits");
        }

        if (!Algorithms.Contains(algorithm))
        {
            throw HeaderInvalid("the algorithm must be one of A, D, E, H, R, S, T or a digit");
        }

        if (!ModesOfUse.Contains(modeOfUse))
        {
            throw HeaderInvalid("the mode of use must be one of B, C, D, E, G, N, S, T, V, X, Y or a digit");
        }

        if (keyVersionNumber.Length != 2 || !char.IsAsciiLetterOrDigit(keyVersionNumber[0]) || !char.IsAsciiLetterOrDigit(keyVersionNumber[1]))
        {
            throw HeaderInvalid("the key version number must be two letters or digits");
        }

        if (!Exportabilities.Contains(exportability))
        {
            throw HeaderInvalid("the exportability must be one of E, N, S or a digit");
        }

        if (keyContext.Length != 2 || keyContext[0] is < '0' or > '2' || keyContext[1] != '0')
        {
            throw HeaderInvalid("the key context must be 0, 1 or 2 followed by the reserved 0");
        }
    }

    /// <summary>Length of the encoded optional block (ANSI X9.143:2021 6.2): short form up to 255 characters, else extended form "00" "04" and a 4-digit length.</summary>
    internal static int EncodedLength(int dataLength) =>
        dataLength + 4 <= MaximumShortBlockLength ? dataLength + 4 : dataLength + 10;

    /// <summary>Optional block ids are not repeated (ANSI X9.143:2021 6.3.6).</summary>
    internal static void RequireUniqueId(IReadOnlyList<Tr31OptionalBlock> blocks, int index)
    {
        var id = blocks[index].Id;
        for (var i = 0; i < index; i++)
        {
            if (string.Equals(blocks[i].Id, id, StringComparison.Ordinal))
            {
                throw OptionalBlockInvalid($"optional block {id} appears more than once");
            }
        }
    }

    internal static Tr31Exception OptionalBlockInvalid(string message) => new(Tr31Error.OptionalBlockInvalid, message);

    private static Tr31Exception HeaderInvalid(string message) => new(Tr31Error.HeaderInvalid, message);
}
