using System.Security.Cryptography;

namespace Ttp.Crypto;

/// <summary>
/// Key components for split knowledge (ANSI X9.24-1, 7.2; PCI PIN requirement 8): a key is the XOR of
/// two or more components of its length, each held by a different custodian.
/// </summary>
public static class KeyComponents
{
    /// <summary>The fewest components a key may be split into or combined from.</summary>
    public const int MinimumCount = 2;

    /// <summary>
    /// XORs the components into the key. Every component must have the same length; at least two are required.
    /// The caller clears the components and the returned key when done.
    /// </summary>
    public static byte[] Combine(IReadOnlyList<byte[]> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Count < MinimumCount)
        {
            throw new CryptoInputException("component", $"expected at least {MinimumCount} components, found {components.Count}");
        }

        var length = components[0].Length;
        if (length == 0)
        {
            throw new CryptoInputException("component", "component 1 is empty");
        }

        for (var i = 1; i < components.Count; i++)
        {
            if (components[i].Length != length)
            {
                throw new CryptoInputException(
                    "component",
                    $"component {i + 1} is {components[i].Length} bytes, component 1 is {length}: all components must have the same length");
            }
        }

        var key = new byte[length];
        foreach (var component in components)
        {
            Xor(key, component);
        }

        return key;
    }

    /// <summary>
    /// Splits <paramref name="key"/> into <paramref name="count"/> components: count-1 random ones from the system
    /// CSPRNG and a last one that makes the XOR equal the key.
    /// </summary>
    public static byte[][] Split(ReadOnlySpan<byte> key, int count)
    {
        if (count < MinimumCount)
        {
            throw new CryptoInputException("components", $"expected at least {MinimumCount} components, found {count}");
        }

        if (key.IsEmpty)
        {
            throw new CryptoInputException("key", "expected a key, found nothing");
        }

        var components = new byte[count][];
        var last = key.ToArray();
        for (var i = 0; i < count - 1; i++)
        {
            components[i] = RandomNumberGenerator.GetBytes(key.Length);
            Xor(last, components[i]);
        }

        components[count - 1] = last;
        return components;
    }

    private static void Xor(Span<byte> target, ReadOnlySpan<byte> source)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] ^= source[i];
        }
    }
}
