using System.Security.Cryptography;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// What a card and a host need beyond <see cref="Scp02"/> for SCP02 commands after EXTERNAL AUTHENTICATE: the encrypted
/// ICV of implementation options with <c>i</c> bit 5 set (e.g. 15 and 55) and the C-DECRYPTION of command data, in both
/// directions (GlobalPlatform Card Specification 2.3.1, E.3.4, E.4.4 and E.4.6).
/// </summary>
public static class Scp02SecureMessaging
{
    private const int BlockSize = BlockCipher.TdesBlockSize;

    /// <summary>
    /// The ICV of the next command's C-MAC: the previous C-MAC encrypted with single DES under the left half of the
    /// C-MAC session key (GlobalPlatform Card Specification 2.3.1, E.4.4, ICV encryption).
    /// </summary>
    /// <param name="sMac">The C-MAC session key (16 bytes).</param>
    /// <param name="previousMac">The 8-byte C-MAC of the previous command.</param>
    /// <returns>The 8-byte ICV.</returns>
    /// <exception cref="CryptoInputException">Field <c>s-mac</c> or <c>previous-mac</c> has the wrong length.</exception>
    public static byte[] EncryptIcv(ReadOnlySpan<byte> sMac, ReadOnlySpan<byte> previousMac)
    {
        GpInput.RequireTwoKeyTdes(sMac, "s-mac");
        GpInput.RequireLength(previousMac, BlockSize, "previous-mac", "a C-MAC");

        // Single DES under K1 is TDES under K1 || K1.
        Span<byte> singleDes = stackalloc byte[2 * BlockSize];
        sMac[..BlockSize].CopyTo(singleDes);
        sMac[..BlockSize].CopyTo(singleDes[BlockSize..]);
        var icv = new byte[BlockSize];
        BlockCipher.TdesEcbEncrypt(singleDes, previousMac, icv);
        CryptographicOperations.ZeroMemory(singleDes);
        return icv;
    }

    /// <summary>
    /// Decrypts a C-DECRYPTION command data field: TDES-CBC under S-ENC with a zero ICV; the result still carries its
    /// <c>80 00..</c> padding (GlobalPlatform Card Specification 2.3.1, E.4.6).
    /// </summary>
    /// <param name="sEnc">The S-ENC session key (16 bytes).</param>
    /// <param name="encrypted">The encrypted data field: a non-empty multiple of 8 bytes.</param>
    /// <returns>The padded clear data; the caller clears it when done.</returns>
    /// <exception cref="CryptoInputException">Field <c>s-enc</c> or <c>data</c> has the wrong length.</exception>
    public static byte[] DecryptCommandData(ReadOnlySpan<byte> sEnc, ReadOnlySpan<byte> encrypted)
    {
        GpInput.RequireTwoKeyTdes(sEnc, "s-enc");
        if (encrypted.IsEmpty || encrypted.Length % BlockSize != 0)
        {
            throw new CryptoInputException("data", $"expected encrypted data of a non-zero multiple of 8 bytes, found {encrypted.Length} bytes");
        }

        Span<byte> icv = stackalloc byte[BlockSize];
        icv.Clear();
        var clear = new byte[encrypted.Length];
        BlockCipher.TdesCbcDecrypt(sEnc, icv, encrypted, clear);
        return clear;
    }

    /// <summary>
    /// Encrypts a command data field for C-DECRYPTION, as the host does: <c>80 00..</c> padding to whole blocks, then
    /// TDES-CBC under S-ENC with a zero ICV (GlobalPlatform Card Specification 2.3.1, E.4.6). The C-MAC is computed over
    /// the clear data.
    /// </summary>
    /// <param name="sEnc">The S-ENC session key (16 bytes).</param>
    /// <param name="clear">The clear data field (not empty).</param>
    /// <returns>The encrypted data field.</returns>
    /// <exception cref="CryptoInputException">Field <c>s-enc</c> has the wrong length or <c>data</c> is empty.</exception>
    public static byte[] EncryptCommandData(ReadOnlySpan<byte> sEnc, ReadOnlySpan<byte> clear)
    {
        GpInput.RequireTwoKeyTdes(sEnc, "s-enc");
        var padded = CommandPadding.Pad(clear, BlockSize);
        Span<byte> icv = stackalloc byte[BlockSize];
        icv.Clear();
        var encrypted = new byte[padded.Length];
        BlockCipher.TdesCbcEncrypt(sEnc, icv, padded, encrypted);
        CryptographicOperations.ZeroMemory(padded);
        return encrypted;
    }
}
