using System.Globalization;

namespace Ttp.TsmClient.Keys;

/// <summary>A key version number as the TSM writes it (two hex digits, 01 to 7F: the KVNs PUT KEY accepts).</summary>
internal static class KeyVersion
{
    /// <summary>What a wrong value is told.</summary>
    public const string Expected = "expected a key version number from 01 to 7F (two hex digits)";

    public static bool TryParse(string? text, out byte value) =>
        byte.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text!.Length == 2 && value is > 0 and <= 0x7F;
}
