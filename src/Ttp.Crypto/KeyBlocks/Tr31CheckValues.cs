namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// The <c>KC</c> and <c>KP</c> optional blocks (ANSI X9.143:2021 6.3.6.7 and 6.3.6): two hex digits of algorithm
/// (<c>00</c> legacy, 3 bytes; <c>01</c> CMAC-based, 5 bytes; ANSI X9.24-1:2017 annex A) followed by the check value
/// in hex.
/// The check values themselves come from <see cref="KeyCheckValue"/>.
/// </summary>
internal static class Tr31CheckValues
{
    private const string LegacyAlgorithm = "00";
    private const string CmacAlgorithm = "01";

    /// <summary>The block data for <paramref name="key"/>: legacy for TDES, CMAC-based for AES.</summary>
    internal static string Format(ReadOnlySpan<byte> key, bool aes) => FormatComputed(Compute(key, cmac: aes, aes), cmac: aes);

    /// <summary>The block data of a legacy (<c>00</c>) check value already computed with <see cref="KeyCheckValue.Des"/>.</summary>
    internal static string FormatLegacy(ReadOnlySpan<byte> checkValue) =>
        checkValue.Length == KeyCheckValue.ShortLength
            ? LegacyAlgorithm + Hex.Encode(checkValue)
            : throw new CryptoInputException("check-value", $"expected a legacy check value of {KeyCheckValue.ShortLength} bytes, found {checkValue.Length} bytes");

    /// <summary>
    /// Checks the form of a <c>KC</c>/<c>KP</c> block and that its algorithm is defined for the key type; returns
    /// whether it is CMAC-based. Throws <see cref="Tr31Error.OptionalBlockInvalid"/>.
    /// </summary>
    internal static bool RequireVerifiable(Tr31OptionalBlock block, bool aes)
    {
        var data = block.Data.AsSpan();
        var cmac = data.Length == 2 + (2 * KeyCheckValue.CmacLength) && data.StartsWith(CmacAlgorithm, StringComparison.Ordinal);
        var legacy = data.Length == 2 + (2 * KeyCheckValue.ShortLength) && data.StartsWith(LegacyAlgorithm, StringComparison.Ordinal);
        if ((!cmac && !legacy) || data[2..].ContainsAnyExcept(Tr31Format.HexDigits))
        {
            throw new Tr31Exception(
                Tr31Error.OptionalBlockInvalid,
                $"optional block {block.Id} must be algorithm 00 with a 3-byte or 01 with a 5-byte check value, in hex");
        }

        if (legacy && aes)
        {
            throw new Tr31Exception(
                Tr31Error.OptionalBlockInvalid,
                $"optional block {block.Id} uses the legacy check value (00), which is not defined here for AES keys");
        }

        return cmac;
    }

    /// <summary>
    /// Compares the check value in <paramref name="block"/> with that of <paramref name="key"/> in constant time;
    /// throws <paramref name="error"/> when they differ.
    /// </summary>
    internal static void Verify(Tr31OptionalBlock block, ReadOnlySpan<byte> key, bool aes, Tr31Error error, string keyName)
    {
        var cmac = RequireVerifiable(block, aes);
        Compare(block, Compute(key, cmac, aes), error, keyName);
    }

    /// <summary>The check value a <c>KC</c>/<c>KP</c> block of <paramref name="key"/> holds: CMAC-based or legacy.</summary>
    internal static byte[] Compute(ReadOnlySpan<byte> key, bool cmac, bool aes) => (cmac, aes) switch
    {
        (true, true) => KeyCheckValue.AesCmac(key),
        (true, false) => KeyCheckValue.TdesCmac(key),
        (false, _) => KeyCheckValue.Des(key),
    };

    /// <summary>The block data for a check value computed by <see cref="Compute"/>.</summary>
    internal static string FormatComputed(ReadOnlySpan<byte> checkValue, bool cmac) =>
        (cmac ? CmacAlgorithm : LegacyAlgorithm) + Hex.Encode(checkValue);

    private static void Compare(Tr31OptionalBlock block, ReadOnlySpan<byte> actual, Tr31Error error, string keyName)
    {
        Span<byte> expected = stackalloc byte[KeyCheckValue.CmacLength];
        Convert.FromHexString(block.Data.AsSpan(2), expected, out _, out var written);
        if (!KeyCheckValue.Matches(expected[..written], actual))
        {
            throw new Tr31Exception(error, $"optional block {block.Id} does not match the check value of the {keyName}");
        }
    }

    /// <summary>
    /// Checks the header's <c>KC</c> and <c>KP</c> blocks, when present, against <paramref name="key"/> and
    /// <paramref name="kbpk"/> (constant-time compare): before wrapping and after unwrapping alike. A wrapper that computed
    /// its KBPK's check values once passes them as <paramref name="kbpkCheckValue"/> (CMAC-based when its argument is
    /// true) instead of having them computed for every block; with <paramref name="verifyKey"/> false the <c>KC</c> block
    /// is left alone (the wrapper's caller computed it from the key).
    /// </summary>
    internal static void VerifyHeader(Tr31Header header, ReadOnlySpan<byte> kbpk, ReadOnlySpan<byte> key, Func<bool, byte[]>? kbpkCheckValue = null, bool verifyKey = true)
    {
        foreach (var block in header.OptionalBlocks)
        {
            switch (block.Id)
            {
                case Tr31OptionalBlock.KeyCheckValueId when verifyKey:
                    Verify(block, key, header.Algorithm == 'A', Tr31Error.KeyCheckValueMismatch, "key to wrap");
                    break;
                case Tr31OptionalBlock.KbpkCheckValueId:
                    var aes = header.Version == 'D';
                    var cmac = RequireVerifiable(block, aes);
                    Compare(block, kbpkCheckValue?.Invoke(cmac) ?? Compute(kbpk, cmac, aes), Tr31Error.KbpkCheckValueMismatch, "KBPK");
                    break;
                default:
                    break;
            }
        }
    }
}
