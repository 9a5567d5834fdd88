using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// Derivation of a card's static secure channel keys from an issuer master key (MK) and the card's Key
/// Diversification Data (KDD; GlobalPlatform Card Specification 2.3.1, E.5.1.6, and tag <c>CF</c> of GET DATA, 11.3).
/// See <see cref="DiversificationMethod"/> for the schemes. No DES parity adjustment is applied to derived keys.
/// </summary>
public static class KeyDiversification
{
    /// <summary>Length of the Key Diversification Data (GlobalPlatform Card Specification 2.3.1, E.5.1.6).</summary>
    public const int KddLength = 10;

    private const int DerivationBlockLength = 16;

    /// <summary>
    /// Derives the static key <paramref name="keyId"/> of one card into <paramref name="destination"/>
    /// (EMV Card Personalization Specification 1.1 key derivation for <see cref="DiversificationMethod.EmvCps11"/>;
    /// VISA2 for <see cref="DiversificationMethod.Visa2"/>; NIST SP 800-108, 5.1 with AES-CMAC for
    /// <see cref="DiversificationMethod.Kdf3"/>).
    /// </summary>
    /// <param name="method">The diversification scheme of the key set.</param>
    /// <param name="masterKey">
    /// The issuer master key: a 16-byte 2-key TDES key for EMV CPS 1.1 and VISA2, a 16-, 24- or 32-byte AES key for
    /// KDF3, any 16-, 24- or 32-byte key for <see cref="DiversificationMethod.None"/>.
    /// </param>
    /// <param name="kdd">The card's 10-byte Key Diversification Data.</param>
    /// <param name="keyId">Which of the three static keys to derive.</param>
    /// <param name="destination">Receives the key; exactly as long as <paramref name="masterKey"/>.</param>
    /// <exception cref="CryptoInputException">Field <c>master-key</c> or <c>kdd</c> has the wrong length.</exception>
    public static void Derive(
        DiversificationMethod method,
        ReadOnlySpan<byte> masterKey,
        ReadOnlySpan<byte> kdd,
        StaticKeyId keyId,
        Span<byte> destination)
    {
        RequireKeyId(keyId);
        Validate(method, masterKey, kdd);
        if (destination.Length != masterKey.Length)
        {
            throw new ArgumentException($"Destination must be {masterKey.Length} bytes (the master key length), found {destination.Length}.", nameof(destination));
        }

        switch (method)
        {
            case DiversificationMethod.None:
                masterKey.CopyTo(destination);
                break;
            case DiversificationMethod.EmvCps11:
            case DiversificationMethod.Visa2:
                Span<byte> block = stackalloc byte[DerivationBlockLength];
                WriteDesDerivationBlock(method, kdd, keyId, block);
                BlockCipher.TdesEcbEncrypt(masterKey, block, destination);
                CryptographicOperations.ZeroMemory(block);
                break;
            case DiversificationMethod.Kdf3:
                DeriveKdf3(BlockCipher.CreateCmac(aes: true, masterKey), kdd, keyId, destination);
                break;
            default:
                throw UnknownMethod(method);
        }
    }

    /// <summary>
    /// Derives the three static keys (ENC, MAC, DEK) of one card; see
    /// <see cref="Derive(DiversificationMethod, ReadOnlySpan{byte}, ReadOnlySpan{byte}, StaticKeyId, Span{byte})"/>.
    /// The caller disposes the result, which zeroes the keys.
    /// </summary>
    /// <param name="method">The diversification scheme of the key set.</param>
    /// <param name="masterKey">The issuer master key (see <see cref="Derive"/> for the lengths each scheme accepts).</param>
    /// <param name="kdd">The card's 10-byte Key Diversification Data.</param>
    /// <exception cref="CryptoInputException">Field <c>master-key</c> or <c>kdd</c> has the wrong length.</exception>
    public static CardStaticKeys DeriveAll(DiversificationMethod method, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> kdd)
    {
        Validate(method, masterKey, kdd);

        var enc = new byte[masterKey.Length];
        var mac = new byte[masterKey.Length];
        var dek = new byte[masterKey.Length];
        try
        {
            if (method is DiversificationMethod.EmvCps11 or DiversificationMethod.Visa2)
            {
                DeriveAllDes(method, masterKey, kdd, enc, mac, dek);
            }
            else if (method == DiversificationMethod.Kdf3)
            {
                // One CMAC key setup under the master key for all counter blocks of the three keys.
                var cmac = BlockCipher.CreateCmac(aes: true, masterKey);
                DeriveKdf3(cmac, kdd, StaticKeyId.Enc, enc);
                DeriveKdf3(cmac, kdd, StaticKeyId.Mac, mac);
                DeriveKdf3(cmac, kdd, StaticKeyId.Dek, dek);
            }
            else
            {
                Derive(method, masterKey, kdd, StaticKeyId.Enc, enc);
                Derive(method, masterKey, kdd, StaticKeyId.Mac, mac);
                Derive(method, masterKey, kdd, StaticKeyId.Dek, dek);
            }
        }
        catch
        {
            CryptographicOperations.ZeroMemory(enc);
            CryptographicOperations.ZeroMemory(mac);
            CryptographicOperations.ZeroMemory(dek);
            throw;
        }

        return new CardStaticKeys(enc, mac, dek);
    }

    // The three derivation blocks under one master key are encrypted in one ECB pass (one cipher instance).
    private static void DeriveAllDes(
        DiversificationMethod method,
        ReadOnlySpan<byte> masterKey,
        ReadOnlySpan<byte> kdd,
        Span<byte> enc,
        Span<byte> mac,
        Span<byte> dek)
    {
        Span<byte> blocks = stackalloc byte[3 * DerivationBlockLength];
        WriteDesDerivationBlock(method, kdd, StaticKeyId.Enc, blocks[..16]);
        WriteDesDerivationBlock(method, kdd, StaticKeyId.Mac, blocks.Slice(16, 16));
        WriteDesDerivationBlock(method, kdd, StaticKeyId.Dek, blocks.Slice(32, 16));
        BlockCipher.TdesEcbEncrypt(masterKey, blocks, blocks);
        blocks[..16].CopyTo(enc);
        blocks.Slice(16, 16).CopyTo(mac);
        blocks.Slice(32, 16).CopyTo(dek);
        CryptographicOperations.ZeroMemory(blocks);
    }

    // EMV CPS 1.1: six diversification bytes || F0 || id || the same six bytes || 0F || id.
    // EMV CPS takes KDD[4..9] (the CSN and the last two bytes of the KMC ID); VISA2 takes KDD[0..1] || KDD[4..7].
    private static void WriteDesDerivationBlock(DiversificationMethod method, ReadOnlySpan<byte> kdd, StaticKeyId keyId, Span<byte> block)
    {
        if (method == DiversificationMethod.EmvCps11)
        {
            kdd.Slice(4, 6).CopyTo(block);
        }
        else
        {
            kdd[..2].CopyTo(block);
            kdd.Slice(4, 4).CopyTo(block[2..]);
        }

        block[6] = 0xF0;
        block[7] = (byte)keyId;
        block[..6].CopyTo(block[8..]);
        block[14] = 0x0F;
        block[15] = (byte)keyId;
    }

    // NIST SP 800-108 counter mode, PRF AES-CMAC, counter of 8 bits first, fixed input 00 00 00 || id || 00 || KDD,
    // no label and no length field: the scheme of GlobalPlatformPro's "kdf3" template.
    // cmac: AES-CMAC keyed with the master key (BlockCipher.CreateCmac).
    private static void DeriveKdf3(IMac cmac, ReadOnlySpan<byte> kdd, StaticKeyId keyId, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[DerivationBlockLength];
        input.Clear();
        input[4] = (byte)keyId;
        kdd.CopyTo(input[6..]);

        Span<byte> block = stackalloc byte[BlockCipher.AesBlockSize];
        byte counter = 1;
        for (var offset = 0; offset < destination.Length; offset += BlockCipher.AesBlockSize, counter++)
        {
            input[0] = counter;
            BlockCipher.Mac(cmac, input, block);
            var take = Math.Min(BlockCipher.AesBlockSize, destination.Length - offset);
            block[..take].CopyTo(destination[offset..]);
        }

        CryptographicOperations.ZeroMemory(block);
        CryptographicOperations.ZeroMemory(input);
    }

    private static void Validate(DiversificationMethod method, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> kdd)
    {
        switch (method)
        {
            case DiversificationMethod.None:
                if (masterKey.Length is not (16 or 24 or 32))
                {
                    throw new CryptoInputException("master-key", $"expected a key of 16, 24 or 32 bytes, found {masterKey.Length} bytes");
                }

                break;
            case DiversificationMethod.EmvCps11:
            case DiversificationMethod.Visa2:
                GpInput.RequireLength(masterKey, 16, "master-key", "a 2-key TDES master key");
                break;
            case DiversificationMethod.Kdf3:
                GpInput.RequireAesKey(masterKey, "master-key");
                break;
            default:
                throw UnknownMethod(method);
        }

        GpInput.RequireLength(kdd, KddLength, "kdd", "key diversification data");
    }

    private static void RequireKeyId(StaticKeyId keyId)
    {
        if (keyId is not (StaticKeyId.Enc or StaticKeyId.Mac or StaticKeyId.Dek))
        {
            throw new ArgumentOutOfRangeException(nameof(keyId), keyId, "Key identifier must be ENC (1), MAC (2) or DEK (3).");
        }
    }

    private static ArgumentOutOfRangeException UnknownMethod(DiversificationMethod method) =>
        new(nameof(method), method, "Unknown diversification method.");
}
