using System.Globalization;

namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// One optional block of a TR-31 / ANSI X9.143 header (ANSI X9.143:2021 6.3.6): a two-character id and printable
/// ASCII data. The length field is not stored; wrap encodes it (short or extended form) and unwrap checks it.
/// </summary>
/// <param name="Id">Two uppercase letters or digits, e.g. <c>KC</c>, <c>KP</c>, <c>TS</c>, <c>KS</c>.</param>
/// <param name="Data">The block data, printable ASCII.</param>
public sealed record Tr31OptionalBlock(string Id, string Data)
{
    /// <summary>Id of the check value of the wrapped key (ANSI X9.143:2021 6.3.6.7, <c>KC</c>).</summary>
    public const string KeyCheckValueId = "KC";

    /// <summary>Id of the check value of the key block protection key (ANSI X9.143:2021 6.3.6, <c>KP</c>).</summary>
    public const string KbpkCheckValueId = "KP";

    /// <summary>Id of the time stamp block, ISO 8601 UTC (ANSI X9.143:2021 6.3.6, <c>TS</c>).</summary>
    public const string TimeStampId = "TS";

    /// <summary>Id of the padding block that brings the header to a multiple of the cipher block size (ANSI X9.143:2021 6.3.6, <c>PB</c>).</summary>
    public const string PaddingId = "PB";

    /// <summary>
    /// A <c>KC</c> block for the key to be wrapped (ANSI X9.143:2021 6.3.6.7): for a TDES key algorithm <c>00</c>
    /// (legacy: TDES-ECB of zeros, 3 bytes), for an AES key algorithm <c>01</c> (AES-CMAC of zeros, 5 bytes), the
    /// check values of ANSI X9.24-1:2017 annex A, each as two hex digits of algorithm followed by the check value in hex.
    /// </summary>
    /// <param name="key">The key to be wrapped.</param>
    /// <param name="aes"><see langword="true"/> for an AES key, <see langword="false"/> for a TDES key.</param>
    /// <exception cref="CryptoInputException">The key is not a 16/24-byte TDES or a 16/24/32-byte AES key.</exception>
    public static Tr31OptionalBlock KeyCheckValueOf(ReadOnlySpan<byte> key, bool aes) =>
        new(KeyCheckValueId, Tr31CheckValues.Format(key, aes));

    /// <summary>
    /// A <c>KC</c> block for a TDES key whose legacy check value (<see cref="KeyCheckValue.Des"/>, 3 bytes) the caller
    /// already holds, e.g. because it delivers that check value too: the same block as
    /// <see cref="KeyCheckValueOf"/> with <c>aes: false</c>, without a second TDES key schedule.
    /// </summary>
    /// <param name="desCheckValue">The key's check value: TDES-ECB of zeros, first 3 bytes.</param>
    /// <exception cref="CryptoInputException">The check value is not 3 bytes.</exception>
    public static Tr31OptionalBlock LegacyKeyCheckValue(ReadOnlySpan<byte> desCheckValue) =>
        new(KeyCheckValueId, Tr31CheckValues.FormatLegacy(desCheckValue));

    /// <summary>
    /// A <c>KP</c> block for the key block protection key (ANSI X9.143:2021 6.3.6): <c>00</c> legacy for a TDES
    /// KBPK (version B), <c>01</c> AES-CMAC for an AES KBPK (version D).
    /// </summary>
    /// <param name="kbpk">The key block protection key.</param>
    /// <param name="aes"><see langword="true"/> for an AES KBPK (version D), <see langword="false"/> for TDES (version B).</param>
    /// <exception cref="CryptoInputException">The KBPK is not a 16/24-byte TDES or a 16/24/32-byte AES key.</exception>
    public static Tr31OptionalBlock KbpkCheckValueOf(ReadOnlySpan<byte> kbpk, bool aes) =>
        new(KbpkCheckValueId, Tr31CheckValues.Format(kbpk, aes));

    /// <summary>
    /// A <c>TS</c> block holding <paramref name="time"/> in UTC, ISO 8601 basic format <c>yyyyMMddHHmmssZ</c>
    /// (ANSI X9.143:2021 6.3.6; the form used by the examples of clause 8).
    /// </summary>
    /// <param name="time">The time to record; converted to UTC, fractions of a second dropped.</param>
    public static Tr31OptionalBlock TimeStamp(DateTimeOffset time) =>
        new(TimeStampId, time.UtcDateTime.ToString("yyyyMMddHHmmss'Z'", CultureInfo.InvariantCulture));
}
