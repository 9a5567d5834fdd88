namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// Validators for the simple card data objects a key request carries, read with GET DATA (GlobalPlatform Card
/// Specification 2.3.1, 11.3). Each takes the <b>value</b> of the data object, without its tag and length (parse a
/// whole TLV with <see cref="BerTlv.ParseSingle"/> first), checks its length and returns it, or throws a
/// <see cref="CryptoInputException"/> naming the field and the length found, never the value.
/// </summary>
public static class CardDataObjects
{
    /// <summary>Length of the Key Diversification Data (<c>CF</c>), and of the first field of the INITIALIZE UPDATE response.</summary>
    public const int KeyDiversificationDataLength = 10;

    /// <summary>
    /// Upper bound this product sets on the Issuer Identification Number and Card Image Number. GlobalPlatform fixes
    /// no length for them; an ISO/IEC 7812-1 IIN is 6 to 8 digits (3 or 4 bytes in BCD, 8 in ASCII), and 16 bytes
    /// leaves room for every encoding seen on cards while keeping garbage out.
    /// </summary>
    public const int MaxIdentificationNumberLength = 16;

    /// <summary>
    /// Checks Key Diversification Data (tag <c>CF</c>): exactly 10 bytes, in EMV CPS 1.1 the KMC ID (6 bytes) followed
    /// by the CSN (4 bytes) (GlobalPlatform Card Specification 2.3.1, 11.3 GET DATA; the same 10 bytes open the INITIALIZE UPDATE response, annex E and Amendment D).
    /// </summary>
    /// <param name="value">The value of the <c>CF</c> data object.</param>
    /// <param name="field">The name of the input, used in error messages.</param>
    /// <returns>A copy of the 10 bytes.</returns>
    /// <exception cref="CryptoInputException">The value is not 10 bytes long.</exception>
    public static byte[] ParseKeyDiversificationData(ReadOnlySpan<byte> value, string field = "key-diversification-data")
    {
        if (value.Length != KeyDiversificationDataLength)
        {
            throw new CryptoInputException(field, $"expected key diversification data of {KeyDiversificationDataLength} bytes, found {value.Length} bytes");
        }

        return value.ToArray();
    }

    /// <summary>
    /// Reads the Sequence Counter of the default key version number (tag <c>C1</c>): 2 bytes in SCP02
    /// (GlobalPlatform Card Specification 2.3.1, annex E), 3 bytes in SCP03 (Amendment D), big-endian.
    /// </summary>
    /// <param name="value">The value of the <c>C1</c> data object.</param>
    /// <param name="field">The name of the input, used in error messages.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="CryptoInputException">The value is neither 2 nor 3 bytes long.</exception>
    public static int ParseSequenceCounter(ReadOnlySpan<byte> value, string field = "sequence-counter")
    {
        if (value.Length is not (2 or 3))
        {
            throw new CryptoInputException(field, $"expected a sequence counter of 2 bytes (SCP02) or 3 bytes (SCP03), found {value.Length} bytes");
        }

        var counter = 0;
        foreach (var b in value)
        {
            counter = (counter << 8) | b;
        }

        return counter;
    }

    /// <summary>
    /// Checks an Issuer Identification Number (tag <c>42</c>, GlobalPlatform Card Specification 2.3.1, 11.3 GET DATA):
    /// 1 to <see cref="MaxIdentificationNumberLength"/> bytes.
    /// </summary>
    /// <param name="value">The value of the <c>42</c> data object.</param>
    /// <param name="field">The name of the input, used in error messages.</param>
    /// <returns>A copy of the value.</returns>
    /// <exception cref="CryptoInputException">The value is empty or too long.</exception>
    public static byte[] ParseIssuerIdentificationNumber(ReadOnlySpan<byte> value, string field = "issuer-identification-number") =>
        ParseIdentificationNumber(value, field, "an issuer identification number");

    /// <summary>
    /// Checks a Card Image Number (tag <c>45</c>, GlobalPlatform Card Specification 2.3.1, 11.3 GET DATA):
    /// 1 to <see cref="MaxIdentificationNumberLength"/> bytes.
    /// </summary>
    /// <param name="value">The value of the <c>45</c> data object.</param>
    /// <param name="field">The name of the input, used in error messages.</param>
    /// <returns>A copy of the value.</returns>
    /// <exception cref="CryptoInputException">The value is empty or too long.</exception>
    public static byte[] ParseCardImageNumber(ReadOnlySpan<byte> value, string field = "card-image-number") =>
        ParseIdentificationNumber(value, field, "a card image number");

    private static byte[] ParseIdentificationNumber(ReadOnlySpan<byte> value, string field, string what)
    {
        if (value.IsEmpty || value.Length > MaxIdentificationNumberLength)
        {
            throw new CryptoInputException(field, $"expected {what} of 1 to {MaxIdentificationNumberLength} bytes, found {value.Length} bytes");
        }

        return value.ToArray();
    }
}
