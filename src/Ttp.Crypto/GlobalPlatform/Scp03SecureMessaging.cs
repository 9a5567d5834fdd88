using System.Security.Cryptography;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// What a card and a host need beyond <see cref="Scp03"/> for SCP03 commands and responses after EXTERNAL
/// AUTHENTICATE: the C-MAC with its chaining value, C-DECRYPTION with the encryption counter (both directions), and the R-MAC
/// (GlobalPlatform Card Specification 2.3.1 Amendment D v1.1.2, 6.2.4 to 6.2.6).
/// </summary>
public static class Scp03SecureMessaging
{
    /// <summary>Length of the MAC chaining value: the full AES-CMAC of the previous command (Amendment D v1.1.2, 6.2.4).</summary>
    public const int MacChainingValueLength = BlockCipher.AesBlockSize;

    /// <summary>Length of the C-MAC and R-MAC carried in S8 mode (Amendment D v1.1.2, 6.2.4 and 6.2.5).</summary>
    public const int MacLength = 8;

    private const int BlockSize = BlockCipher.AesBlockSize;

    private const int MaxStackInput = 512;

    /// <summary>
    /// The full C-MAC of a command: AES-CMAC under S-MAC of MAC chaining value || header (with the secure messaging
    /// class and Lc counting the C-MAC) || data field as sent (Amendment D v1.1.2, 6.2.4). The command carries the
    /// first <see cref="MacLength"/> bytes; all 16 are the chaining value of the next command.
    /// </summary>
    /// <param name="sMac">The S-MAC session key.</param>
    /// <param name="chainingValue">The 16-byte MAC chaining value.</param>
    /// <param name="headerAndData">CLA INS P1 P2 Lc || data, without the C-MAC.</param>
    /// <returns>The 16-byte CMAC.</returns>
    /// <exception cref="CryptoInputException">Field <c>s-mac</c> or <c>chaining-value</c> has the wrong length.</exception>
    public static byte[] CommandMac(ReadOnlySpan<byte> sMac, ReadOnlySpan<byte> chainingValue, ReadOnlySpan<byte> headerAndData) =>
        ChainedCmac(sMac, chainingValue, headerAndData, "s-mac");

    /// <summary>
    /// The R-MAC of a response: the first 8 bytes of AES-CMAC under S-RMAC of MAC chaining value (the full C-MAC of
    /// the command answered) || response data || status word (Amendment D v1.1.2, 6.2.5).
    /// </summary>
    /// <param name="sRmac">The S-RMAC session key.</param>
    /// <param name="chainingValue">The 16-byte MAC chaining value.</param>
    /// <param name="dataAndStatus">The response data followed by SW1 SW2.</param>
    /// <returns>The 8-byte R-MAC.</returns>
    /// <exception cref="CryptoInputException">Field <c>s-rmac</c> or <c>chaining-value</c> has the wrong length.</exception>
    public static byte[] ResponseMac(ReadOnlySpan<byte> sRmac, ReadOnlySpan<byte> chainingValue, ReadOnlySpan<byte> dataAndStatus)
    {
        var full = ChainedCmac(sRmac, chainingValue, dataAndStatus, "s-rmac");
        var mac = full[..MacLength];
        CryptographicOperations.ZeroMemory(full);
        return mac;
    }

    /// <summary>
    /// Decrypts a C-DECRYPTION command data field: AES-CBC under S-ENC with the ICV AES-ECB(S-ENC, encryption counter
    /// as a 16-byte big-endian number); the result still carries its <c>80 00..</c> padding (Amendment D v1.1.2, 6.2.6).
    /// </summary>
    /// <param name="sEnc">The S-ENC session key.</param>
    /// <param name="encryptionCounter">The encryption counter of this command (1 for the first command of the session).</param>
    /// <param name="encrypted">The encrypted data field: a non-empty multiple of 16 bytes.</param>
    /// <returns>The padded clear data; the caller clears it when done.</returns>
    /// <exception cref="CryptoInputException">Field <c>s-enc</c> or <c>data</c> has the wrong length.</exception>
    public static byte[] DecryptCommandData(ReadOnlySpan<byte> sEnc, long encryptionCounter, ReadOnlySpan<byte> encrypted)
    {
        GpInput.RequireAesKey(sEnc, "s-enc");
        if (encrypted.IsEmpty || encrypted.Length % BlockSize != 0)
        {
            throw new CryptoInputException("data", $"expected encrypted data of a non-zero multiple of 16 bytes, found {encrypted.Length} bytes");
        }

        Span<byte> icv = stackalloc byte[BlockSize];
        CounterIcv(sEnc, encryptionCounter, icv);
        var clear = new byte[encrypted.Length];
        BlockCipher.AesCbcDecrypt(sEnc, icv, encrypted, clear);
        CryptographicOperations.ZeroMemory(icv);
        return clear;
    }

    /// <summary>
    /// Encrypts a command data field for C-DECRYPTION, as the host does: <c>80 00..</c> padding to whole blocks, then
    /// AES-CBC under S-ENC with the ICV AES-ECB(S-ENC, encryption counter) (Amendment D v1.1.2, 6.2.6). The C-MAC is then
    /// computed over the encrypted data.
    /// </summary>
    /// <param name="sEnc">The S-ENC session key.</param>
    /// <param name="encryptionCounter">The encryption counter of this command (1 for the first command of the session).</param>
    /// <param name="clear">The clear data field (not empty).</param>
    /// <returns>The encrypted data field.</returns>
    /// <exception cref="CryptoInputException">Field <c>s-enc</c> has the wrong length or <c>data</c> is empty.</exception>
    public static byte[] EncryptCommandData(ReadOnlySpan<byte> sEnc, long encryptionCounter, ReadOnlySpan<byte> clear)
    {
        GpInput.RequireAesKey(sEnc, "s-enc");
        var padded = CommandPadding.Pad(clear, BlockSize);
        Span<byte> icv = stackalloc byte[BlockSize];
        CounterIcv(sEnc, encryptionCounter, icv);
        var encrypted = new byte[padded.Length];
        BlockCipher.AesCbcEncrypt(sEnc, icv, padded, encrypted);
        CryptographicOperations.ZeroMemory(icv);
        CryptographicOperations.ZeroMemory(padded);
        return encrypted;
    }

    private static void CounterIcv(ReadOnlySpan<byte> sEnc, long encryptionCounter, Span<byte> icv)
    {
        icv.Clear();
        for (var i = 0; i < sizeof(long); i++)
        {
            icv[BlockSize - 1 - i] = (byte)(encryptionCounter >> (8 * i));
        }

        BlockCipher.AesEcbEncrypt(sEnc, icv, icv);
    }

    private static byte[] ChainedCmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> chainingValue, ReadOnlySpan<byte> data, string keyField)
    {
        GpInput.RequireAesKey(key, keyField);
        GpInput.RequireLength(chainingValue, MacChainingValueLength, "chaining-value", "a MAC chaining value");
        var length = MacChainingValueLength + data.Length;
        Span<byte> input = length <= MaxStackInput ? stackalloc byte[length] : new byte[length];
        chainingValue.CopyTo(input);
        data.CopyTo(input[MacChainingValueLength..]);
        var mac = new byte[BlockSize];
        BlockCipher.AesCmac(key, input, mac);
        return mac;
    }
}
