namespace Ttp.CardSimulator;

/// <summary>The card file is not a valid personalisation: <see cref="Exception.Message"/> names the field, never a key.</summary>
public sealed class CardProfileException : Exception
{
    public CardProfileException()
    {
    }

    public CardProfileException(string message)
        : base(message)
    {
    }

    public CardProfileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for the named field.</summary>
    public static CardProfileException For(string field, string reason) => new($"{field}: {reason}");
}
