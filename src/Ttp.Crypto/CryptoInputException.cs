namespace Ttp.Crypto;

/// <summary>
/// Input to a crypto operation is not of the form the algorithm requires (bad hex, wrong key length,
/// malformed TLV, a key block that fails a check). <see cref="Field"/> names the input at fault and
/// <see cref="Exception.Message"/> says what was expected. Neither ever holds key material.
/// </summary>
public class CryptoInputException : Exception
{
    /// <summary>Creates the exception for the named input.</summary>
    /// <param name="field">The input at fault, as the caller named it (e.g. <c>master-key</c>).</param>
    /// <param name="message">What was wrong and what was expected; never the value itself.</param>
    public CryptoInputException(string field, string message)
        : base($"{field}: {message}")
    {
        Field = field;
        Reason = message;
    }

    /// <summary>The input at fault.</summary>
    public string Field { get; }

    /// <summary>What was wrong, without the field name.</summary>
    public string Reason { get; }
}
