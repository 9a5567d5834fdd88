using System.Security.Cryptography;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto;

/// <summary>Key check values (KCV): short one-way fingerprints of a key, safe to show and to log.</summary>
public static class KeyCheckValue
{
    /// <summary>Length of the DES and GlobalPlatform AES check values shown to operators and sent to TSMs.</summary>
    public const int ShortLength = 3;

    /// <summary>Length of the ANSI X9.24-1:2017 AES-CMAC check value.</summary>
    public const int CmacLength = 5;

    /// <summary>
    /// DES/TDES check value: TDES-ECB encryption of eight zero bytes, first 3 bytes
    /// (GlobalPlatform Card Specification 2.3.1, 11.8.2.3; ANSI X9.24-1 legacy KCV).
    /// </summary>
    /// <param name="key">A 16- or 24-byte TDES key.</param>
    public static byte[] Des(ReadOnlySpan<byte> key)
    {
        RequireLength(key.Length, BlockCipher.IsTdesKeyLength, "a TDES key of 16 or 24 bytes");
        Span<byte> block = stackalloc byte[BlockCipher.TdesBlockSize];
        block.Clear();
        BlockCipher.TdesEcbEncrypt(key, block, block);
        return block[..ShortLength].ToArray();
    }

    /// <summary>
    /// AES check value as GlobalPlatform defines it: AES-ECB encryption of sixteen <c>01</c> bytes, first 3 bytes
    /// (GlobalPlatform Card Specification 2.3.1 Amendment D, 7.2.2 (PUT KEY key check value)).
    /// </summary>
    /// <param name="key">A 16-, 24- or 32-byte AES key.</param>
    public static byte[] AesGlobalPlatform(ReadOnlySpan<byte> key)
    {
        RequireLength(key.Length, BlockCipher.IsAesKeyLength, "an AES key of 16, 24 or 32 bytes");
        Span<byte> block = stackalloc byte[BlockCipher.AesBlockSize];
        block.Fill(0x01);
        BlockCipher.AesEcbEncrypt(key, block, block);
        return block[..ShortLength].ToArray();
    }

    /// <summary>
    /// AES check value of ANSI X9.24-1:2017 (annex A): AES-CMAC over one block of sixteen zero bytes, first 5 bytes.
    /// Also the <c>01</c> algorithm of the TR-31 / X9.143 <c>KC</c> and <c>KP</c> optional blocks.
    /// </summary>
    /// <param name="key">A 16-, 24- or 32-byte AES key.</param>
    public static byte[] AesCmac(ReadOnlySpan<byte> key)
    {
        RequireLength(key.Length, BlockCipher.IsAesKeyLength, "an AES key of 16, 24 or 32 bytes");
        Span<byte> zero = stackalloc byte[BlockCipher.AesBlockSize];
        zero.Clear();
        Span<byte> mac = stackalloc byte[BlockCipher.AesBlockSize];
        BlockCipher.AesCmac(key, zero, mac);
        return mac[..CmacLength].ToArray();
    }

    /// <summary>
    /// TDES check value of ANSI X9.24-1:2017 for the CMAC method: TDES-CMAC over eight zero bytes, first 5 bytes.
    /// </summary>
    /// <param name="key">A 16- or 24-byte TDES key.</param>
    public static byte[] TdesCmac(ReadOnlySpan<byte> key)
    {
        RequireLength(key.Length, BlockCipher.IsTdesKeyLength, "a TDES key of 16 or 24 bytes");
        Span<byte> zero = stackalloc byte[BlockCipher.TdesBlockSize];
        zero.Clear();
        Span<byte> mac = stackalloc byte[BlockCipher.TdesBlockSize];
        BlockCipher.TdesCmac(key, zero, mac);
        return mac[..CmacLength].ToArray();
    }

    /// <summary>Compares two check values in constant time (for equal lengths).</summary>
    public static bool Matches(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual) =>
        CryptographicOperations.FixedTimeEquals(expected, actual);

    private static void RequireLength(int length, Func<int, bool> valid, string expected)
    {
        if (!valid(length))
        {
            throw new CryptoInputException("key", $"expected {expected}, found {length} bytes");
        }
    }
}
