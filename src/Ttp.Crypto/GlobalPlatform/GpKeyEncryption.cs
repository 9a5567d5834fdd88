using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// Encryption of key values for PUT KEY (GlobalPlatform Card Specification 2.3.1, 11.8.2.3, key component blocks of
/// tables 11-70 and 11-71): under a TDES key encryption key (SCP02 S-DEK, SCP01 DEK) with TDES-ECB
/// (GlobalPlatform Card Specification 2.3.1, B.1.1.2 and E.4.7), under an AES key encryption key (the SCP03 static
/// DEK) with AES-CBC and a zero ICV (Amendment D v1.1.2, PUT KEY key data). Padding of key values that are not a whole
/// number of blocks is the PUT KEY encoder's job; these functions take whole blocks only.
/// </summary>
public static class GpKeyEncryption
{
    /// <summary>Encrypts <paramref name="key"/> under a TDES KEK with TDES-ECB (GlobalPlatform Card Specification 2.3.1, B.1.1.2 and E.4.7).</summary>
    /// <param name="kek">The TDES key encryption key (16 or 24 bytes).</param>
    /// <param name="key">The key value: a non-empty multiple of 8 bytes.</param>
    /// <returns>The encrypted key value, as long as <paramref name="key"/>.</returns>
    /// <exception cref="CryptoInputException">Field <c>kek</c> or <c>key</c> has the wrong length.</exception>
    public static byte[] EncryptTdes(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> key)
    {
        RequireTdes(kek, key);
        var output = new byte[key.Length];
        BlockCipher.TdesEcbEncrypt(kek, key, output);
        return output;
    }

    /// <summary>Decrypts a key value encrypted by <see cref="EncryptTdes"/> (GlobalPlatform Card Specification 2.3.1, B.1.1.2 and E.4.7).</summary>
    /// <param name="kek">The TDES key encryption key (16 or 24 bytes).</param>
    /// <param name="encryptedKey">The encrypted key value: a non-empty multiple of 8 bytes.</param>
    /// <returns>The clear key value; the caller clears it when done.</returns>
    /// <exception cref="CryptoInputException">Field <c>kek</c> or <c>key</c> has the wrong length.</exception>
    public static byte[] DecryptTdes(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> encryptedKey)
    {
        RequireTdes(kek, encryptedKey);
        var output = new byte[encryptedKey.Length];
        BlockCipher.TdesEcbDecrypt(kek, encryptedKey, output);
        return output;
    }

    /// <summary>Encrypts <paramref name="key"/> under an AES KEK with AES-CBC, ICV zero (GlobalPlatform Card Specification 2.3.1 Amendment D v1.1.2; 11.8.2.3).</summary>
    /// <param name="kek">The AES key encryption key (16, 24 or 32 bytes).</param>
    /// <param name="key">The key value: a non-empty multiple of 16 bytes.</param>
    /// <returns>The encrypted key value, as long as <paramref name="key"/>.</returns>
    /// <exception cref="CryptoInputException">Field <c>kek</c> or <c>key</c> has the wrong length.</exception>
    public static byte[] EncryptAes(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> key)
    {
        RequireAes(kek, key);
        Span<byte> icv = stackalloc byte[BlockCipher.AesBlockSize];
        icv.Clear();
        var output = new byte[key.Length];
        BlockCipher.AesCbcEncrypt(kek, icv, key, output);
        return output;
    }

    /// <summary>Decrypts a key value encrypted by <see cref="EncryptAes"/> (GlobalPlatform Card Specification 2.3.1 Amendment D v1.1.2; 11.8.2.3).</summary>
    /// <param name="kek">The AES key encryption key (16, 24 or 32 bytes).</param>
    /// <param name="encryptedKey">The encrypted key value: a non-empty multiple of 16 bytes.</param>
    /// <returns>The clear key value; the caller clears it when done.</returns>
    /// <exception cref="CryptoInputException">Field <c>kek</c> or <c>key</c> has the wrong length.</exception>
    public static byte[] DecryptAes(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> encryptedKey)
    {
        RequireAes(kek, encryptedKey);
        Span<byte> icv = stackalloc byte[BlockCipher.AesBlockSize];
        icv.Clear();
        var output = new byte[encryptedKey.Length];
        BlockCipher.AesCbcDecrypt(kek, icv, encryptedKey, output);
        return output;
    }

    private static void RequireTdes(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> key)
    {
        GpInput.RequireTdesKey(kek, "kek");
        if (key.IsEmpty || key.Length % BlockCipher.TdesBlockSize != 0)
        {
            throw new CryptoInputException("key", $"expected a key value of a non-zero multiple of 8 bytes for a TDES key encryption key, found {key.Length} bytes");
        }
    }

    private static void RequireAes(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> key)
    {
        GpInput.RequireAesKey(kek, "kek");
        if (key.IsEmpty || key.Length % BlockCipher.AesBlockSize != 0)
        {
            throw new CryptoInputException("key", $"expected a key value of a non-zero multiple of 16 bytes for an AES key encryption key, found {key.Length} bytes");
        }
    }
}
