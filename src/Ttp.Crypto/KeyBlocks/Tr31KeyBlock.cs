using System.Security.Cryptography;

namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// TR-31 / ANSI X9.143 key blocks, versions B (TDES key block protection key) and D (AES KBPK), both with the key
/// derivation binding method (ANSI X9.143:2021 7; TR-31:2018). Versions A and C (variant binding) are refused on
/// input and never produced. The entry points: writing is <see cref="Tr31Wrapper"/>'s, reading <see cref="Tr31Reader"/>'s.
/// </summary>
/// <remarks>
/// Layout (ANSI X9.143:2021 6.1, 6.2): ASCII header (16 characters, then optional blocks) || key data || MAC, the
/// last two in uppercase hex. Key data = key length in bits (2 bytes) || key || padding (ANSI X9.143:2021 7.3.1),
/// encrypted in CBC mode with the KBEK and the MAC as IV. The MAC (8 bytes for B, 16 for D) is the CMAC with the
/// KBAK over the ASCII header and the clear key data. KBEK and KBAK are derived from the KBPK with CMAC
/// (ANSI X9.143:2021 7.2.1 for AES, 7.2.2 for TDES).
/// </remarks>
public static class Tr31KeyBlock
{
    /// <summary>
    /// Wraps <paramref name="key"/> under <paramref name="kbpk"/> as a version B or D key block
    /// (ANSI X9.143:2021 6 and 7).
    /// </summary>
    /// <remarks>
    /// The key data is padded with random bytes (from <see cref="RandomNumberGenerator"/>) to the length of the
    /// longest key of its algorithm (24 bytes for TDES, 32 for AES) and then to a whole cipher block, so that the block
    /// does not reveal the key length (ANSI X9.143:2021 7.3.1, as in its examples 8.1 and 8.4.2). A <c>PB</c> padding
    /// block is added, last, when the header does not end on a cipher block boundary (ANSI X9.143:2021 6.3.6).
    /// <c>KC</c> and <c>KP</c> blocks in the header, built with <see cref="Tr31OptionalBlock.KeyCheckValueOf"/> and
    /// <see cref="Tr31OptionalBlock.KbpkCheckValueOf"/>, are checked against the keys before wrapping.
    /// Each call derives the KBEK and KBAK anew: to wrap several keys under one KBPK, use <see cref="CreateWrapper"/>.
    /// </remarks>
    /// <param name="kbpk">Key block protection key: TDES 16/24 bytes for version B, AES 16/24/32 bytes for D.</param>
    /// <param name="header">The header fields; its version selects B or D. Must not contain a <c>PB</c> block.</param>
    /// <param name="key">The key to wrap: TDES (algorithm <c>T</c>, 16/24 bytes) or, in version D only, AES (<c>A</c>, 16/24/32 bytes); not longer than a KBPK of the same algorithm.</param>
    /// <returns>The key block as printable ASCII.</returns>
    /// <exception cref="Tr31Exception">The version, KBPK, header, optional blocks or key are not acceptable.</exception>
    public static string Wrap(ReadOnlySpan<byte> kbpk, Tr31Header header, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(header);
        var plan = Tr31Wrapper.Plan(kbpk, header, key, paddingLength: null);
        using var wrapper = new Tr31Wrapper(kbpk, header.Version);
        return wrapper.WrapPlanned(header, key, plan);
    }

    /// <summary>
    /// Creates a <see cref="Tr31Wrapper"/> that wraps any number of keys under <paramref name="kbpk"/> as version
    /// <paramref name="version"/> key blocks, deriving the KBEK and KBAK (ANSI X9.143:2021 7.2) once for all of them
    /// instead of once per block as <see cref="Wrap"/> does. Dispose it when done.
    /// </summary>
    /// <param name="kbpk">Key block protection key: TDES 16/24 bytes for version B, AES 16/24/32 bytes for D. The wrapper keeps a copy until disposed.</param>
    /// <param name="version"><c>B</c> or <c>D</c>: the version of every block the wrapper makes.</param>
    /// <returns>The wrapper; not thread-safe.</returns>
    /// <exception cref="Tr31Exception">The version is not B or D, or the KBPK length does not fit it.</exception>
    public static Tr31Wrapper CreateWrapper(ReadOnlySpan<byte> kbpk, char version) => new(kbpk, version);

    /// <summary>
    /// <see cref="Wrap"/> with the padding supplied instead of drawn at random, so that published examples can be
    /// reproduced byte for byte. The key data is 2 + key + padding bytes and must be a whole number of cipher blocks.
    /// With <paramref name="verifyCheckValues"/> false, <c>KC</c>/<c>KP</c> blocks are written as given (tests build
    /// mismatching blocks that way).
    /// </summary>
    internal static string WrapWithPadding(
        ReadOnlySpan<byte> kbpk,
        Tr31Header header,
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> padding,
        bool verifyCheckValues = true)
    {
        ArgumentNullException.ThrowIfNull(header);
        Tr31Wrapper.Plan(kbpk, header, key, padding.Length);
        using var wrapper = new Tr31Wrapper(kbpk, header.Version);
        return wrapper.WrapWithPadding(header, key, padding, verifyCheckValues);
    }

    /// <summary>
    /// Unwraps a version B or D key block (ANSI X9.143:2021 6 and 7). The header is parsed into typed fields and every
    /// structural check (characters, version, KBPK size, length, header fields, optional blocks and their count, hex)
    /// is made before any cryptography; then KBEK and KBAK are derived, the key data is decrypted (CBC, MAC as IV; the
    /// MAC covers the clear key data, so decryption comes first), the MAC is verified in constant time, the key length
    /// field is checked and, when present, the <c>KC</c> and <c>KP</c> check values are compared in constant time with
    /// the unwrapped key and the KBPK.
    /// </summary>
    /// <param name="kbpk">Key block protection key: TDES 16/24 bytes for version B, AES 16/24/32 bytes for D.</param>
    /// <param name="block">The key block: printable ASCII, hex fields in uppercase (ANSI X9.143:2021 4).</param>
    /// <returns>The authenticated header and the key; dispose it to zero the key.</returns>
    /// <exception cref="Tr31Exception">A check failed; <see cref="Tr31Exception.Error"/> says which.</exception>
    public static Tr31UnwrapResult Unwrap(ReadOnlySpan<byte> kbpk, string block)
    {
        return Tr31Reader.Read(kbpk, block);
    }
}
