using System.Buffers;
using System.Security.Cryptography;
using Ttp.Crypto;

namespace Ttp.Domain.KeyStore;

/// <summary>
/// LMK ids: <c>lmk-</c> and the key's check value as PKCS#11 defines <c>CKA_CHECK_VALUE</c> for AES (the first three
/// bytes of the AES-ECB encryption of a zero block; PKCS#11 Base Specification v2.40, 4.10), in uppercase hex, e.g.
/// <c>lmk-8A3F21</c>. The token computes it for an HSM key and software computes the same for a file key, so the same
/// AES key has the same id under both providers (a file LMK imported into an HSM keeps its envelopes readable).
/// An id names a key; it is not secret and not a proof: a wrong key is caught by the GCM tag, not by the id.
/// </summary>
internal static class LmkIds
{
    public const string Prefix = "lmk-";

    private const int CheckValueLength = 3;

    private static readonly SearchValues<char> UpperHex = SearchValues.Create("0123456789ABCDEF");

    /// <summary>The id of a 32-byte software LMK.</summary>
    public static string Of(ReadOnlySpan<byte> key)
    {
        using var aes = Aes.Create();
        var copy = key.ToArray();
        try
        {
            aes.Key = copy;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }

        Span<byte> block = stackalloc byte[16];
        block.Clear();
        aes.EncryptEcb(block, block, PaddingMode.None);
        var id = FromCheckValue(block);
        block.Clear();
        return id;
    }

    /// <summary>The id from a token's <c>CKA_CHECK_VALUE</c> (at least three bytes).</summary>
    public static string FromCheckValue(ReadOnlySpan<byte> checkValue) => Prefix + Hex.Encode(checkValue[..CheckValueLength]);

    /// <summary>True for <c>lmk-</c> and six uppercase hex digits: ids read from the database are checked before use
    /// in a file name or an object label.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: 10 } && id.StartsWith(Prefix, StringComparison.Ordinal) && !id.AsSpan(Prefix.Length).ContainsAnyExcept(UpperHex);
}
