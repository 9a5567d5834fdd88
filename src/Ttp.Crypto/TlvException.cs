namespace Ttp.Crypto;

/// <summary>
/// A BER-TLV structure, or a GlobalPlatform data object carried in one, is malformed or not of the form the
/// caller required (ISO/IEC 8825-1 8.1; ISO/IEC 7816-4 5.2; GlobalPlatform Card Specification 2.3.1, 11.3.3 and
/// annex H). <see cref="Offset"/> is the byte position of the fault in the input that was parsed;
/// the message says what was wrong and never holds the data itself.
/// </summary>
public sealed class TlvException : CryptoInputException
{
    /// <summary>Creates the exception for a fault that has no single position (for example empty input).</summary>
    /// <param name="field">The input at fault, as the caller named it (e.g. <c>tlv</c>, <c>card-data</c>).</param>
    /// <param name="message">What was wrong and what was expected; never the value itself.</param>
    public TlvException(string field, string message)
        : base(field, message)
    {
    }

    /// <summary>Creates the exception for a fault at byte <paramref name="offset"/> of the parsed input.</summary>
    /// <param name="field">The input at fault, as the caller named it.</param>
    /// <param name="offset">Zero-based position of the fault in the parsed input.</param>
    /// <param name="message">What was wrong and what was expected; never the value itself.</param>
    public TlvException(string field, int offset, string message)
        : base(field, $"at offset {offset}: {message}")
    {
        Offset = offset;
    }

    /// <summary>Zero-based position of the fault in the parsed input, when there is one.</summary>
    public int? Offset { get; }
}
