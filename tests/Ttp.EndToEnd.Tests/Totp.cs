using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// RFC 6238 TOTP as an authenticator app computes it (HMAC-SHA1, 30 s steps, 6 digits), from the base32 key the
/// enrolment page shows: the test plays the staff member's phone.
/// </summary>
internal static class Totp
{
    public static string Code(string base32Key, DateTimeOffset at)
    {
        var key = Base32Decode(base32Key);
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, at.ToUnixTimeSeconds() / 30);
#pragma warning disable CA5350 // RFC 6238 authenticator apps use HMAC-SHA1; this is the test's phone, not our crypto.
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        CryptographicOperations.ZeroMemory(key);
        var offset = hash[^1] & 0x0F;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7FFFFFFF;
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits, when needed, for a time step no code of which was used yet, and returns its code.</summary>
    public static async Task<string> FreshCodeAsync(string base32Key, long? lastUsedStep)
    {
        var now = DateTimeOffset.UtcNow;
        var step = now.ToUnixTimeSeconds() / 30;
        if (lastUsedStep is { } used && step <= used)
        {
            await Task.Delay(TimeSpan.FromSeconds(((used + 1) * 30) - now.ToUnixTimeSeconds() + 1));
        }

        return Code(base32Key, DateTimeOffset.UtcNow);
    }

    public static long StepOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / 30;

    private static byte[] Base32Decode(string text)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var output = new byte[clean.Length * 5 / 8];
        int buffer = 0, bits = 0, index = 0;
        foreach (var c in clean)
        {
            var value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException("the authenticator key is not base32");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                output[index++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
            }
        }

        return output;
    }
}
