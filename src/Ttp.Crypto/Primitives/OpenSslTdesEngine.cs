using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace Ttp.Crypto.Primitives;

/// <summary>
/// The TDES block function of the system's OpenSSL (libcrypto 3: <c>DES_set_key_unchecked</c>,
/// <c>DES_ecb3_encrypt</c>) behind BouncyCastle's <see cref="IBlockCipher"/>, so that BouncyCastle's modes (ECB, CBC,
/// CMAC) run on it unchanged. Why: BouncyCastle's TDES key schedule costs about 1 us per DES key, and an SCP02 request
/// sets up eight (the master key, three derived keys for their check values); OpenSSL's costs under 0.1 us (docs/
/// PERFORMANCE.md). The block function itself costs the same in both.
/// </summary>
/// <remarks>
/// <para><see cref="Create"/> returns this engine when libcrypto and both functions can be loaded, and BouncyCastle's
/// <see cref="Org.BouncyCastle.Crypto.Engines.DesEdeEngine"/> otherwise (the results are the same; the tests check
/// that this machine uses OpenSSL and that both agree). A 2-key TDES key (K1, K2) is used as K1, K2, K1.</para>
/// <para>Key hygiene as BouncyCastle's own engines (<see cref="BlockCipher"/>): the three key schedules live in one
/// managed array owned by the engine, zeroed when the engine is keyed again and otherwise left to the GC with the
/// engine; the key copy <see cref="KeyParameter.GetKey"/> makes is zeroed at once.</para>
/// </remarks>
internal sealed unsafe class OpenSslTdesEngine : IBlockCipher
{
    private const int ScheduleSize = 128; // sizeof(DES_key_schedule): 16 rounds x 8 bytes
    private const int BlockSize = 8;

    private static readonly Functions? Native = Functions.Load();

    private readonly byte[] _schedules = new byte[3 * ScheduleSize];
    private bool _forEncryption;
    private bool _keyed;

    private OpenSslTdesEngine()
    {
    }

    /// <summary>True when the system's libcrypto provides the TDES functions (the engine <see cref="Create"/> returns is then OpenSSL's).</summary>
    public static bool Available => Native is not null;

    /// <inheritdoc />
    public string AlgorithmName => "DESede";

    /// <summary>An unkeyed TDES engine: OpenSSL's when <see cref="Available"/>, else BouncyCastle's.</summary>
    public static IBlockCipher Create() => Native is null ? new Org.BouncyCastle.Crypto.Engines.DesEdeEngine() : new OpenSslTdesEngine();

    /// <inheritdoc />
    public int GetBlockSize() => BlockSize;

    /// <inheritdoc />
    public void Init(bool forEncryption, ICipherParameters parameters)
    {
        if (parameters is not KeyParameter keyParameter)
        {
            throw new ArgumentException("TDES needs a KeyParameter.", nameof(parameters));
        }

        var key = keyParameter.GetKey();
        try
        {
            if (!BlockCipher.IsTdesKeyLength(key.Length))
            {
                throw new ArgumentException("TDES key must be 16 or 24 bytes.", nameof(parameters));
            }

            CryptographicOperations.ZeroMemory(_schedules);
            fixed (byte* k = key)
            fixed (byte* schedules = _schedules)
            {
                Native!.SetKey(k, schedules);
                Native.SetKey(k + 8, schedules + ScheduleSize);
                Native.SetKey(key.Length == 24 ? k + 16 : k, schedules + (2 * ScheduleSize));
            }

            _forEncryption = forEncryption;
            _keyed = true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <inheritdoc />
    public int ProcessBlock(byte[] inBuf, int inOff, byte[] outBuf, int outOff) =>
        ProcessBlock(inBuf.AsSpan(inOff, BlockSize), outBuf.AsSpan(outOff, BlockSize));

    /// <inheritdoc />
    public int ProcessBlock(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (!_keyed)
        {
            throw new InvalidOperationException("The TDES engine is not keyed.");
        }

        if (input.Length < BlockSize || output.Length < BlockSize)
        {
            throw new ArgumentException("TDES processes whole 8-byte blocks.");
        }

        fixed (byte* i = input)
        fixed (byte* o = output)
        fixed (byte* schedules = _schedules)
        {
            Native!.Ecb3(i, o, schedules, schedules + ScheduleSize, schedules + (2 * ScheduleSize), _forEncryption ? 1 : 0);
        }

        return BlockSize;
    }

    /// <summary>The two libcrypto functions, resolved once; null when libcrypto 3 or either function is missing.</summary>
    private sealed class Functions
    {
        private readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, void> _setKey;
        private readonly delegate* unmanaged[SuppressGCTransition]<byte*, byte*, byte*, byte*, byte*, int, void> _ecb3;

        private Functions(nint setKey, nint ecb3)
        {
            _setKey = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, void>)setKey;
            _ecb3 = (delegate* unmanaged[SuppressGCTransition]<byte*, byte*, byte*, byte*, byte*, int, void>)ecb3;
        }

        public static Functions? Load()
        {
            foreach (var name in (string[])["libcrypto.so.3", "libcrypto.3.dylib"])
            {
                if (NativeLibrary.TryLoad(name, out var library)
                    && NativeLibrary.TryGetExport(library, "DES_set_key_unchecked", out var setKey)
                    && NativeLibrary.TryGetExport(library, "DES_ecb3_encrypt", out var ecb3))
                {
                    return new Functions(setKey, ecb3);
                }
            }

            return null;
        }

        // void DES_set_key_unchecked(const_DES_cblock *key, DES_key_schedule *schedule)
        public void SetKey(byte* key, byte* schedule) => _setKey(key, schedule);

        // void DES_ecb3_encrypt(const_DES_cblock *input, DES_cblock *output, DES_key_schedule *ks1, *ks2, *ks3, int enc)
        public void Ecb3(byte* input, byte* output, byte* ks1, byte* ks2, byte* ks3, int enc) => _ecb3(input, output, ks1, ks2, ks3, enc);
    }
}
