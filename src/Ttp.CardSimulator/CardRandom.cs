using System.Security.Cryptography;

namespace Ttp.CardSimulator;

/// <summary>Where the card's random card challenges come from; tests set one that replays a published trace.</summary>
/// <param name="destination">Filled with random bytes.</param>
public delegate void CardRandom(Span<byte> destination);

/// <summary>The production random source.</summary>
public static class CardRandoms
{
    /// <summary>The operating system's cryptographic random number generator.</summary>
    public static CardRandom System { get; } = RandomNumberGenerator.Fill;
}
