using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Ttp.Crypto.Primitives;

/// <summary>
/// The block-cipher primitives the rest of the crypto core is built on, BouncyCastle's modes: AES (the AES-NI engine
/// where the CPU has it) and TDES (OpenSSL's block function, <see cref="OpenSslTdesEngine"/>) in ECB and CBC mode (no
/// padding), CMAC and the ISO/IEC 9797-1 MAC algorithm 3.
/// Key lengths are checked here once; callers pass spans and own (and clear) their buffers.
/// </summary>
/// <remarks>
/// <para>
/// Why BouncyCastle and not the BCL <see cref="Aes"/>/<see cref="TripleDES"/> one-shots: on Linux each BCL one-shot
/// call creates and frees an OpenSSL cipher context (1 to 2 us, more than the cipher work for our 1 to 4 block
/// inputs), and OpenSSL 3 refuses 2-key TDES keys. A BouncyCastle engine is keyed once and then serves every block
/// under that key: the <c>Create*</c> methods return keyed objects for callers that process several inputs under one
/// key (a KDF's counter blocks, the key blocks of one request).
/// </para>
/// <para>
/// Key hygiene: BouncyCastle copies the key into its <see cref="KeyParameter"/> and its engines, expands it into a key
/// schedule, and keeps the last chaining or MAC block in its modes: managed arrays that we cannot clear and that the GC
/// reclaims. So each key is set up once per use (one engine or CMAC for all blocks under it, not one per block, which
/// also keeps the number of such copies down) and the keyed object is dropped when that use ends; the buffers this code
/// owns are cleared with <see cref="CryptographicOperations.ZeroMemory"/>.
/// </para>
/// </remarks>
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
    public static void TdesEcbEncrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output) =>
        ProcessBlocks(CreateEcb(aes: false, forEncryption: true, key), input, output);

    /// <summary>TDES-ECB decryption of whole blocks.</summary>
    public static void TdesEcbDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output) =>
        ProcessBlocks(CreateEcb(aes: false, forEncryption: false, key), input, output);

    /// <summary>TDES-CBC encryption of whole blocks.</summary>
    public static void TdesCbcEncrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output) =>
        Cbc(aes: false, forEncryption: true, key, iv, input, output);

    /// <summary>TDES-CBC decryption of whole blocks.</summary>
    public static void TdesCbcDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output) =>
        Cbc(aes: false, forEncryption: false, key, iv, input, output);

    /// <summary>AES-ECB encryption of whole blocks.</summary>
    public static void AesEcbEncrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output) =>
        ProcessBlocks(CreateEcb(aes: true, forEncryption: true, key), input, output);

    /// <summary>AES-ECB decryption of whole blocks.</summary>
    public static void AesEcbDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output) =>
        ProcessBlocks(CreateEcb(aes: true, forEncryption: false, key), input, output);

    /// <summary>AES-CBC encryption of whole blocks.</summary>
    public static void AesCbcEncrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output) =>
        Cbc(aes: true, forEncryption: true, key, iv, input, output);

    /// <summary>AES-CBC decryption of whole blocks.</summary>
    public static void AesCbcDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output) =>
        Cbc(aes: true, forEncryption: false, key, iv, input, output);

    /// <summary>AES-CMAC (NIST SP 800-38B) of <paramref name="data"/>; writes 16 bytes.</summary>
    public static void AesCmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac) =>
        Mac(CreateCmac(aes: true, key), data, mac);

    /// <summary>TDES-CMAC (NIST SP 800-38B) of <paramref name="data"/>; writes 8 bytes.</summary>
    public static void TdesCmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac) =>
        Mac(CreateCmac(aes: false, key), data, mac);

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

        var engine = new ISO9797Alg3Mac(new DesEngine());
        engine.Init(new ParametersWithIV(new KeyParameter(key), iv));
        engine.BlockUpdate(data);
        engine.DoFinal(mac);
    }

    /// <summary>
    /// CMAC (NIST SP 800-38B) under one AES (<paramref name="aes"/> true) or TDES key of several messages of
    /// <paramref name="messageLength"/> bytes laid end to end in <paramref name="messages"/>, with one key setup for
    /// all (key derivations that MAC several counter blocks, e.g. TR-31 KBEK/KBAK). Writes one full-block MAC per
    /// message, end to end, to <paramref name="macs"/>.
    /// </summary>
    public static void CmacEach(bool aes, ReadOnlySpan<byte> key, ReadOnlySpan<byte> messages, int messageLength, Span<byte> macs)
    {
        var blockSize = aes ? AesBlockSize : TdesBlockSize;
        if (messageLength <= 0 || messages.Length % messageLength != 0 || macs.Length < messages.Length / messageLength * blockSize)
        {
            throw new ArgumentException("Messages must be whole messages of the given length, with room for one MAC each.", nameof(messages));
        }

        var cmac = CreateCmac(aes, key);
        for (int offset = 0, macOffset = 0; offset < messages.Length; offset += messageLength, macOffset += blockSize)
        {
            cmac.BlockUpdate(messages.Slice(offset, messageLength));
            cmac.DoFinal(macs.Slice(macOffset, blockSize));
        }
    }

    /// <summary>
    /// An AES (<paramref name="aes"/> true) or TDES CMAC (NIST SP 800-38B) keyed with <paramref name="key"/>, for
    /// several messages under that key (<see cref="Mac"/>); it produces full-block MACs.
    /// </summary>
    public static IMac CreateCmac(bool aes, ReadOnlySpan<byte> key)
    {
        var cmac = new CMac(CreateEngine(aes, key));
        cmac.Init(new KeyParameter(key));
        return cmac;
    }

    /// <summary>MACs one whole message with a keyed MAC (<see cref="CreateCmac"/>), which is then ready for the next.</summary>
    public static void Mac(IMac mac, ReadOnlySpan<byte> data, Span<byte> output)
    {
        mac.BlockUpdate(data);
        mac.DoFinal(output);
    }

    /// <summary>An AES (<paramref name="aes"/> true) or TDES ECB cipher keyed with <paramref name="key"/>; see <see cref="ProcessBlocks"/>.</summary>
    public static IBlockCipher CreateEcb(bool aes, bool forEncryption, ReadOnlySpan<byte> key)
    {
        var ecb = new EcbBlockCipher(CreateEngine(aes, key));
        ecb.Init(forEncryption, new KeyParameter(key));
        return ecb;
    }

    /// <summary>
    /// An AES (<paramref name="aes"/> true) or TDES CBC cipher keyed with <paramref name="key"/>, for several messages
    /// under that key, each with its own IV (<see cref="Cbc(CbcBlockCipher, bool, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>).
    /// </summary>
    public static CbcBlockCipher CreateCbc(bool aes, bool forEncryption, ReadOnlySpan<byte> key)
    {
        var cbc = new CbcBlockCipher(CreateEngine(aes, key));
        cbc.Init(forEncryption, new KeyParameter(key));
        return cbc;
    }

    /// <summary>
    /// CBC-encrypts or -decrypts (as <paramref name="cbc"/> was created) whole blocks from <paramref name="iv"/>,
    /// keeping the key of <paramref name="cbc"/>.
    /// </summary>
    public static void Cbc(CbcBlockCipher cbc, bool forEncryption, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        ArgumentNullException.ThrowIfNull(cbc);
        if (iv.Length != cbc.GetBlockSize())
        {
            throw new ArgumentException("The IV must be one cipher block.", nameof(iv));
        }

        // Parameters without a key change only the IV (and keep the key schedule).
        cbc.Init(forEncryption, new ParametersWithIV(null, iv));
        ProcessBlocks(cbc, input, output);
    }

    /// <summary>Runs a keyed cipher or mode over whole blocks; <paramref name="output"/> may be <paramref name="input"/>.</summary>
    public static void ProcessBlocks(IBlockCipher cipher, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var blockSize = cipher.GetBlockSize();
        if (input.Length % blockSize != 0)
        {
            throw new ArgumentException("Input must be whole cipher blocks (no padding is added).", nameof(input));
        }

        if (output.Length < input.Length)
        {
            throw new ArgumentException("Output is shorter than the input.", nameof(output));
        }

        for (var offset = 0; offset < input.Length; offset += blockSize)
        {
            cipher.ProcessBlock(input.Slice(offset, blockSize), output.Slice(offset, blockSize));
        }
    }

    private static void Cbc(bool aes, bool forEncryption, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var cbc = new CbcBlockCipher(CreateEngine(aes, key));
        if (iv.Length != cbc.GetBlockSize())
        {
            throw new ArgumentException("The IV must be one cipher block.", nameof(iv));
        }

        cbc.Init(forEncryption, new ParametersWithIV(new KeyParameter(key), iv));
        ProcessBlocks(cbc, input, output);
    }

    /// <summary>
    /// A fresh engine for the key, its length checked: the AES-NI engine when the CPU has AES-NI, else BouncyCastle's
    /// portable AES; TDES (2- or 3-key) on OpenSSL's block function (<see cref="OpenSslTdesEngine"/>: its key schedule
    /// is ten times cheaper), BouncyCastle's where libcrypto is missing.
    /// </summary>
    private static IBlockCipher CreateEngine(bool aes, ReadOnlySpan<byte> key)
    {
        if (aes)
        {
            if (!IsAesKeyLength(key.Length))
            {
                throw new ArgumentException("AES key must be 16, 24 or 32 bytes.", nameof(key));
            }

            return AesUtilities.CreateEngine();
        }

        if (!IsTdesKeyLength(key.Length))
        {
            throw new ArgumentException("TDES key must be 16 or 24 bytes.", nameof(key));
        }

        return OpenSslTdesEngine.Create();
    }
}
