using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Ttp.Crypto.Primitives;

/// <summary>
/// The block-cipher primitives the rest of the crypto core is built on: AES and TDES from the BCL
/// (ECB and CBC, no padding), CMAC and the ISO/IEC 9797-1 MAC algorithm 3 from BouncyCastle.
/// Key lengths are checked here once; callers pass spans and own (and clear) their buffers.
/// </summary>
internal static class BlockCipher
{
    /// <summary>Block size of TDES in bytes.</summary>
    public const int TdesBlockSize = 8;

    /// <summary>Block size of AES in bytes.</summary>
    public const int AesBlockSize = 16;

    /// <summary>True for 2-key (16-byte) and 3-key (24-byte) TDES keys.</summary>
    public static bool IsTdesKeyLength(int length) => length is 16 or 24;

    /// <summary>True for AES-128, AES-192 and AES-256 keys.</summary>
    public static bool IsAesKeyLength(int length) => length is 16 or 24 or 32;

    /// <summary>TDES-ECB encryption of whole blocks.</summary>
    public static void TdesEcbEncrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var tdes = CreateTdes(key);
        tdes.EncryptEcb(input, output, PaddingMode.None);
    }

    /// <summary>TDES-ECB decryption of whole blocks.</summary>
    public static void TdesEcbDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var tdes = CreateTdes(key);
        tdes.DecryptEcb(input, output, PaddingMode.None);
    }

    /// <summary>TDES-CBC encryption of whole blocks.</summary>
    public static void TdesCbcEncrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var tdes = CreateTdes(key);
        tdes.EncryptCbc(input, iv, output, PaddingMode.None);
    }

    /// <summary>TDES-CBC decryption of whole blocks.</summary>
    public static void TdesCbcDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var tdes = CreateTdes(key);
        tdes.DecryptCbc(input, iv, output, PaddingMode.None);
    }

    /// <summary>AES-ECB encryption of whole blocks.</summary>
    public static void AesEcbEncrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var aes = CreateAes(key);
        aes.EncryptEcb(input, output, PaddingMode.None);
    }

    /// <summary>AES-ECB decryption of whole blocks.</summary>
    public static void AesEcbDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var aes = CreateAes(key);
        aes.DecryptEcb(input, output, PaddingMode.None);
    }

    /// <summary>AES-CBC encryption of whole blocks.</summary>
    public static void AesCbcEncrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var aes = CreateAes(key);
        aes.EncryptCbc(input, iv, output, PaddingMode.None);
    }

    /// <summary>AES-CBC decryption of whole blocks.</summary>
    public static void AesCbcDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        using var aes = CreateAes(key);
        aes.DecryptCbc(input, iv, output, PaddingMode.None);
    }

    /// <summary>AES-CMAC (NIST SP 800-38B) of <paramref name="data"/>; writes 16 bytes.</summary>
    public static void AesCmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        if (!IsAesKeyLength(key.Length))
        {
            throw new ArgumentException("AES key must be 16, 24 or 32 bytes.", nameof(key));
        }

        Cmac(new AesEngine(), key, data, mac);
    }

    /// <summary>TDES-CMAC (NIST SP 800-38B) of <paramref name="data"/>; writes 8 bytes.</summary>
    public static void TdesCmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        if (!IsTdesKeyLength(key.Length))
        {
            throw new ArgumentException("TDES key must be 16 or 24 bytes.", nameof(key));
        }

        Cmac(new DesEdeEngine(), key, data, mac);
    }

    /// <summary>
    /// ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") with a 2-key TDES key, no padding added here
    /// (the caller pads), with initial chaining value <paramref name="iv"/>; writes 8 bytes.
    /// </summary>
    public static void RetailMac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        if (key.Length != 16)
        {
            throw new ArgumentException("Retail MAC key must be 16 bytes.", nameof(key));
        }

        if (data.Length % TdesBlockSize != 0)
        {
            throw new ArgumentException("Retail MAC input must be padded to whole blocks.", nameof(data));
        }

        var keyCopy = key.ToArray();
        var ivCopy = iv.ToArray();
        try
        {
            var engine = new ISO9797Alg3Mac(new DesEngine());
            engine.Init(new ParametersWithIV(new KeyParameter(keyCopy), ivCopy));
            engine.BlockUpdate(data);
            engine.DoFinal(mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyCopy);
        }
    }

    /// <summary>
    /// CMAC (NIST SP 800-38B) under one AES (<paramref name="aes"/> true) or TDES key of several messages of
    /// <paramref name="messageLength"/> bytes laid end to end in <paramref name="messages"/>, computing the key
    /// schedule and subkeys once (key derivations that MAC several counter blocks, e.g. TR-31 KBEK/KBAK). Writes one
    /// full-block MAC per message, end to end, to <paramref name="macs"/>.
    /// </summary>
    public static void CmacEach(bool aes, ReadOnlySpan<byte> key, ReadOnlySpan<byte> messages, int messageLength, Span<byte> macs)
    {
        if (aes ? !IsAesKeyLength(key.Length) : !IsTdesKeyLength(key.Length))
        {
            throw new ArgumentException(aes ? "AES key must be 16, 24 or 32 bytes." : "TDES key must be 16 or 24 bytes.", nameof(key));
        }

        var blockSize = aes ? AesBlockSize : TdesBlockSize;
        if (messageLength <= 0 || messages.Length % messageLength != 0 || macs.Length < messages.Length / messageLength * blockSize)
        {
            throw new ArgumentException("Messages must be whole messages of the given length, with room for one MAC each.", nameof(messages));
        }

        var cmac = new CMac(aes ? new AesEngine() : new DesEdeEngine());
        cmac.Init(new KeyParameter(key));
        for (int offset = 0, macOffset = 0; offset < messages.Length; offset += messageLength, macOffset += blockSize)
        {
            cmac.BlockUpdate(messages.Slice(offset, messageLength));
            cmac.DoFinal(macs.Slice(macOffset, blockSize));
        }
    }

    private static void Cmac(IBlockCipher cipher, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        var cmac = new CMac(cipher);
        cmac.Init(new KeyParameter(key));
        cmac.BlockUpdate(data);
        cmac.DoFinal(mac);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "GlobalPlatform SCP02, EMV CPS and TR-31 version B are defined over TDES; the product cannot choose another cipher for them.")]
    private static TripleDES CreateTdes(ReadOnlySpan<byte> key)
    {
        if (!IsTdesKeyLength(key.Length))
        {
            throw new ArgumentException("TDES key must be 16 or 24 bytes.", nameof(key));
        }

        var tdes = TripleDES.Create();
        if (key.Length == 16)
        {
            // OpenSSL 3 (the BCL provider on Linux) refuses 16-byte keys ("invalid key length"):
            // pass the 2-key TDES key as the equivalent 3-key key K1 || K2 || K1.
            Span<byte> expanded = stackalloc byte[24];
            key.CopyTo(expanded);
            key[..8].CopyTo(expanded[16..]);
            tdes.SetKey(expanded);
            CryptographicOperations.ZeroMemory(expanded);
        }
        else
        {
            tdes.SetKey(key);
        }

        return tdes;
    }

    private static Aes CreateAes(ReadOnlySpan<byte> key)
    {
        if (!IsAesKeyLength(key.Length))
        {
            throw new ArgumentException("AES key must be 16, 24 or 32 bytes.", nameof(key));
        }

        var aes = Aes.Create();
        aes.SetKey(key);
        return aes;
    }
}
