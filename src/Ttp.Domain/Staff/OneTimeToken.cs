using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Ttp.Domain.Staff;

/// <summary>
/// A one-time secret handed to one person in a link (the first-run setup, a staff invitation): 32 random bytes (256 bits)
/// as base64url text (43 characters). Only its SHA-256 (of the text, UTF-8) is ever stored, and stored hashes are
/// compared in constant time. The token itself is never logged, audited or kept.
/// </summary>
public static class OneTimeToken
{
    /// <summary>Random bytes per token.</summary>
    public const int RandomBytes = 32;

    /// <summary>Longest text accepted as a token (anything longer is refused before hashing).</summary>
    public const int MaxLength = 128;

    /// <summary>Creates a token; <paramref name="hash"/> receives its SHA-256, the only form to store.</summary>
    public static string Create(out byte[] hash)
    {
        var bytes = RandomNumberGenerator.GetBytes(RandomBytes);
        var token = Base64Url.EncodeToString(bytes);
        CryptographicOperations.ZeroMemory(bytes);
        hash = Hash(token);
        return token;
    }

    /// <summary>The stored form of <paramref name="token"/>: SHA-256 of its UTF-8 text.</summary>
    public static byte[] Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Whether <paramref name="token"/> has the shape of a token (non-empty, at most <see cref="MaxLength"/>, base64url).</summary>
    public static bool IsWellFormed(string? token) =>
        !string.IsNullOrEmpty(token) && token.Length <= MaxLength && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Whether <paramref name="token"/> hashes to <paramref name="storedHash"/> (constant-time comparison).</summary>
    public static bool Matches(ReadOnlySpan<byte> storedHash, string? token) =>
        IsWellFormed(token) && CryptographicOperations.FixedTimeEquals(storedHash, Hash(token!));
}
