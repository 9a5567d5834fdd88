using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Ttp.Domain.Staff;

/// <summary>
/// RFC 6238 time-based one-time passwords as authenticator apps compute them: HMAC-SHA1 (RFC 4226 section 5.3 dynamic
/// truncation), 30-second steps from the Unix epoch, 6 digits; keys in RFC 4648 base32.
/// </summary>
public static class Totp
{
    /// <summary>Seconds per time step.</summary>
    public const int StepSeconds = 30;

    /// <summary>The time step that contains <paramref name="time"/>.</summary>
    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The 6-digit code of <paramref name="key"/> at <paramref name="step"/>.</summary>
    public static int Compute(ReadOnlySpan<byte> key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> mac = stackalloc byte[HMACSHA1.HashSizeInBytes];
#pragma warning disable CA5350 // RFC 6238 as authenticator apps implement it: HMAC-SHA1 is the algorithm they compute.
        HMACSHA1.HashData(key, counter, mac);
#pragma warning restore CA5350
        var offset = mac[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(mac[offset..]) & 0x7FFFFFFF) % 1_000_000;
        CryptographicOperations.ZeroMemory(mac);
        return binary;
    }

    /// <summary>Decodes an RFC 4648 base32 key (case-insensitive; spaces and padding ignored).</summary>
    public static byte[] FromBase32(string base32)
    {
        ArgumentNullException.ThrowIfNull(base32);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>(base32.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in base32)
        {
            if (c is ' ' or '=')
            {
                continue;
            }

            var value = alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException("The authenticator key is not base32.");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. output];
    }
}
