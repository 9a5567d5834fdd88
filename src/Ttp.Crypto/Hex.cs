namespace Ttp.Crypto;

/// <summary>
/// Strict hexadecimal encoding: input in either case, no separators or whitespace, an even number of digits;
/// output always uppercase.
/// </summary>
public static class Hex
{
    /// <summary>Decodes <paramref name="text"/>; throws <see cref="CryptoInputException"/> naming <paramref name="field"/>.</summary>
    /// <param name="text">Hex digits, upper or lower case.</param>
    /// <param name="field">The name of the input, used in the error message.</param>
    public static byte[] Parse(string? text, string field) => Parse(text.AsSpan(), field);

    /// <summary>
    /// Decodes hex held in a buffer the caller clears (key components read from standard input or a terminal are never
    /// made into strings); throws <see cref="CryptoInputException"/> naming <paramref name="field"/>, never the value.
    /// </summary>
    /// <param name="text">Hex digits, upper or lower case.</param>
    /// <param name="field">The name of the input, used in the error message.</param>
    public static byte[] Parse(ReadOnlySpan<char> text, string field)
    {
        if (text.IsEmpty)
        {
            throw new CryptoInputException(field, "expected hex digits, found nothing");
        }

        if (text.Length % 2 != 0)
        {
            throw new CryptoInputException(field, $"expected an even number of hex digits, found {text.Length}");
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiHexDigit(text[i]))
            {
                throw new CryptoInputException(field, $"expected hex digits 0-9 A-F, found another character at position {i + 1}");
            }
        }

        return Convert.FromHexString(text);
    }

    /// <summary>Decodes hex that must be exactly <paramref name="length"/> bytes long.</summary>
    public static byte[] Parse(string? text, string field, int length)
    {
        var bytes = Parse(text, field);
        if (bytes.Length != length)
        {
            var found = bytes.Length;
            Array.Clear(bytes);
            throw new CryptoInputException(field, $"expected {length} bytes ({length * 2} hex digits), found {found} bytes");
        }

        return bytes;
    }

    /// <summary>Encodes <paramref name="bytes"/> as uppercase hex.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
