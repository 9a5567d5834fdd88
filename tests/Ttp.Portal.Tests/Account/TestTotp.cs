using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Ttp.Portal.Tests.Account;

/// <summary>
/// RFC 6238 codes computed independently of the portal (HMAC-SHA1, 30-second steps, 6 digits), as an authenticator app
/// would, from a base32 key (RFC 4648).
/// </summary>
internal static class TestTotp
{
    /// <summary>A fixed test key (base32 of 20 bytes); it guards nothing outside the tests.</summary>
    public const string Key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    public static long CurrentStep => DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;

    public static string Code(string base32Key, long step)
    {
        var key = FromBase32(base32Key);
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
#pragma warning disable CA5350 // RFC 6238 authenticator codes are HMAC-SHA1 by definition.
        var mac = HMACSHA1.HashData(key, counter.ToArray());
#pragma warning restore CA5350
        var offset = mac[^1] & 0x0F;
        var value = ((mac[offset] & 0x7F) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
        return (value % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Waits, if needed, until at least 5 seconds remain in the current step (so that a code is not judged at the step's
    /// edge), and returns that step.
    /// </summary>
    public static async Task<long> StableStepAsync()
    {
        var seconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % 30_000;
        if (seconds > 25_000)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(30_000 - seconds + 200));
        }

        return CurrentStep;
    }

    private static byte[] FromBase32(string base32)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in base32.ToUpperInvariant().Replace(" ", string.Empty, StringComparison.Ordinal).TrimEnd('='))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. bytes];
    }
}
