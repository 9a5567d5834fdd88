using System.Security.Cryptography;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.KeyBlocks;

/// <summary>
/// Derivation of the key block encryption key (KBEK) and authentication key (KBAK) from the KBPK
/// (ANSI X9.143:2021 7.2.1 for AES, 7.2.2 for TDES): CMAC with the KBPK over
/// <c>counter(1) || key usage(2: 0000 encryption, 0001 MAC) || separator 00 || algorithm(2: 0000 2TDEA,
/// 0001 3TDEA, 0002 AES-128, 0003 AES-192, 0004 AES-256) || length in bits(2)</c>, one CMAC block per counter
/// value from 1, concatenated and cut to the KBPK length.
/// </summary>
internal static class Tr31KeyDerivation
{
    private const int InputLength = 8;
    private const byte EncryptionUsage = 0x00;
    private const byte AuthenticationUsage = 0x01;

    /// <summary>Writes KBEK and KBAK, each as long as <paramref name="kbpk"/>. TDES-CMAC when <paramref name="aes"/> is false (version B), AES-CMAC otherwise (version D).</summary>
    internal static void Derive(bool aes, ReadOnlySpan<byte> kbpk, Span<byte> kbek, Span<byte> kbak)
    {
        var cmacLength = aes ? BlockCipher.AesBlockSize : BlockCipher.TdesBlockSize;
        var blocksPerKey = (kbpk.Length + cmacLength - 1) / cmacLength;
        var bits = kbpk.Length * 8;
        var algorithm = AlgorithmIndicator(aes, kbpk.Length);

        // All derivation inputs (KBEK counters, then KBAK counters) MACed under one CMAC key setup; at most 2 x 3 inputs.
        Span<byte> inputs = stackalloc byte[2 * 3 * InputLength];
        Span<byte> cmacs = stackalloc byte[2 * 3 * BlockCipher.AesBlockSize];
        inputs = inputs[..(2 * blocksPerKey * InputLength)];
        cmacs = cmacs[..(2 * blocksPerKey * cmacLength)];
        try
        {
            for (var i = 0; i < 2 * blocksPerKey; i++)
            {
                var usage = i < blocksPerKey ? EncryptionUsage : AuthenticationUsage;
                var counter = (byte)((i % blocksPerKey) + 1);
                ReadOnlySpan<byte> input = [counter, 0x00, usage, 0x00, 0x00, algorithm, (byte)(bits >> 8), (byte)bits];
                input.CopyTo(inputs[(i * InputLength)..]);
            }

            BlockCipher.CmacEach(aes, kbpk, inputs, InputLength, cmacs);
            var keyBytes = blocksPerKey * cmacLength;
            cmacs[..kbpk.Length].CopyTo(kbek);
            cmacs.Slice(keyBytes, kbpk.Length).CopyTo(kbak);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(cmacs);
        }
    }

    private static byte AlgorithmIndicator(bool aes, int kbpkLength) => (aes, kbpkLength) switch
    {
        (false, 16) => 0x00,
        (false, _) => 0x01,
        (true, 16) => 0x02,
        (true, 24) => 0x03,
        (true, _) => 0x04,
    };
}
