using System.Security.Cryptography;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// The SCP03 data derivation function (GlobalPlatform Card Specification 2.3.1 Amendment D v1.1.2, 4.1.5 and 6.2.1):
/// NIST SP 800-108 KDF in counter mode with AES-CMAC as PRF, the counter after the fixed input, the fixed input being
/// <c>label (11 zero bytes || derivation constant) || 00 || L (2 bytes, bits) || i (1 byte) || context</c>.
/// </summary>
public static class Scp03Kdf
{
    // 11 zero bytes, the derivation constant, the separation indicator, L (2 bytes) and the counter i.
    private const int FixedInputLength = 16;

    private const int CounterOffset = 15;

    private const int MaxStackInput = 256;

    /// <summary>
    /// Derives <paramref name="lengthBits"/> bits into <paramref name="destination"/>
    /// (GlobalPlatform Card Specification 2.3.1 Amendment D v1.1.2, 4.1.5).
    /// </summary>
    /// <param name="key">The AES key (16, 24 or 32 bytes) the derivation is keyed with.</param>
    /// <param name="derivationConstant">One of <see cref="Scp03DerivationConstant"/>.</param>
    /// <param name="context">The context, e.g. host challenge || card challenge.</param>
    /// <param name="lengthBits">L, the output length in bits: a positive multiple of 8, at most 255 blocks.</param>
    /// <param name="destination">Receives exactly <paramref name="lengthBits"/> / 8 bytes.</param>
    /// <exception cref="CryptoInputException">Field <c>key</c> is not an AES key.</exception>
    public static void Derive(ReadOnlySpan<byte> key, byte derivationConstant, ReadOnlySpan<byte> context, int lengthBits, Span<byte> destination)
    {
        GpInput.RequireAesKey(key, "key");
        if (lengthBits <= 0 || lengthBits % 8 != 0 || lengthBits > 255 * BlockCipher.AesBlockSize * 8)
        {
            throw new ArgumentOutOfRangeException(nameof(lengthBits), lengthBits, "L must be a positive multiple of 8 of at most 255 AES blocks.");
        }

        if (destination.Length != lengthBits / 8)
        {
            throw new ArgumentException($"Destination must be {lengthBits / 8} bytes, found {destination.Length}.", nameof(destination));
        }

        var inputLength = FixedInputLength + context.Length;
        Span<byte> input = inputLength <= MaxStackInput ? stackalloc byte[inputLength] : new byte[inputLength];
        input[..11].Clear();
        input[11] = derivationConstant;
        input[12] = 0x00;
        input[13] = (byte)(lengthBits >> 8);
        input[14] = (byte)lengthBits;
        context.CopyTo(input[FixedInputLength..]);

        Span<byte> block = stackalloc byte[BlockCipher.AesBlockSize];
        byte counter = 1;
        for (var offset = 0; offset < destination.Length; offset += BlockCipher.AesBlockSize, counter++)
        {
            input[CounterOffset] = counter;
            BlockCipher.AesCmac(key, input, block);
            var take = Math.Min(BlockCipher.AesBlockSize, destination.Length - offset);
            block[..take].CopyTo(destination[offset..]);
        }

        CryptographicOperations.ZeroMemory(block);
        CryptographicOperations.ZeroMemory(input);
    }
}
