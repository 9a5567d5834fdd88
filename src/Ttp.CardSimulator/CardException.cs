namespace Ttp.CardSimulator;

/// <summary>A command the card refuses; <see cref="StatusWord"/> is what it answers. Never carries key material.</summary>
public sealed class CardException : Exception
{
    /// <summary>Creates the refusal.</summary>
    public CardException(ushort statusWord, string reason)
        : base($"{statusWord:X4}: {reason}")
    {
        Status = statusWord;
    }

    public CardException()
    {
    }

    public CardException(string message)
        : base(message)
    {
    }

    public CardException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The status word the card answers.</summary>
    public ushort Status { get; } = StatusWord.IncorrectData;
}
