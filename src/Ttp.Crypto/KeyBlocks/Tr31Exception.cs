namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// A TR-31 / ANSI X9.143 key block could not be wrapped or unwrapped. <see cref="Error"/> says which check failed;
/// the message says what was wrong and never holds key material or the key block.
/// </summary>
public sealed class Tr31Exception : CryptoInputException
{
    /// <summary>Creates the exception for the input named <c>block</c>.</summary>
    /// <param name="error">The check that failed.</param>
    /// <param name="message">What was wrong; never a key byte or the block itself.</param>
    public Tr31Exception(Tr31Error error, string message)
        : base("block", message)
    {
        Error = error;
    }

    /// <summary>The check that failed.</summary>
    public Tr31Error Error { get; }
}
