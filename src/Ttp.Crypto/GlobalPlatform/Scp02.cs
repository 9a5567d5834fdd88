using System.Security.Cryptography;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// SCP02 mutual authentication (GlobalPlatform Card Specification 2.3.1, appendix E): session keys, card and host
/// cryptograms, the ISO/IEC 9797-1 retail MAC and the C-MACed EXTERNAL AUTHENTICATE command. Keys are 2-key TDES.
/// </summary>
public static class Scp02
{
    /// <summary>Length of SCP02 static and session keys (2-key TDES; GlobalPlatform Card Specification 2.3.1, E.2).</summary>
    public const int KeyLength = 16;

    /// <summary>Length of the SCP02 sequence counter (GlobalPlatform Card Specification 2.3.1, E.5.1.6).</summary>
    public const int SequenceCounterLength = 2;

    /// <summary>Length of the host challenge (GlobalPlatform Card Specification 2.3.1, E.5.1.5).</summary>
    public const int HostChallengeLength = 8;

    /// <summary>Length of the card challenge (GlobalPlatform Card Specification 2.3.1, E.5.1.6).</summary>
    public const int CardChallengeLength = 6;

    /// <summary>Length of the card and host cryptograms (GlobalPlatform Card Specification 2.3.1, E.4.2).</summary>
    public const int CryptogramLength = 8;

    /// <summary>Length of the C-MAC (GlobalPlatform Card Specification 2.3.1, E.4.4).</summary>
    public const int MacLength = 8;

    private const int BlockSize = BlockCipher.TdesBlockSize;

    private const int MaxStackMacInput = 512;

    /// <summary>
    /// Derives the four session keys: <c>TDES-CBC(K, constant || sequence counter || 00 * 12, ICV 0)</c> with constant
    /// <c>0182</c> (S-ENC from ENC), <c>0101</c> (C-MAC from MAC), <c>0102</c> (R-MAC from MAC) and <c>0181</c>
    /// (S-DEK from DEK) (GlobalPlatform Card Specification 2.3.1, E.4.1). The caller disposes the result.
    /// </summary>
    /// <param name="enc">The static ENC key (16 bytes).</param>
    /// <param name="mac">The static MAC key (16 bytes).</param>
    /// <param name="dek">The static DEK (16 bytes).</param>
    /// <param name="sequenceCounter">The 2-byte sequence counter of the INITIALIZE UPDATE response.</param>
    /// <exception cref="CryptoInputException">Field <c>enc</c>, <c>mac</c>, <c>dek</c> or <c>sequence-counter</c> has the wrong length.</exception>
    public static Scp02SessionKeys DeriveSessionKeys(
        ReadOnlySpan<byte> enc,
        ReadOnlySpan<byte> mac,
        ReadOnlySpan<byte> dek,
        ReadOnlySpan<byte> sequenceCounter)
    {
        GpInput.RequireTwoKeyTdes(enc, "enc");
        GpInput.RequireTwoKeyTdes(mac, "mac");
        GpInput.RequireTwoKeyTdes(dek, "dek");
        RequireSequenceCounter(sequenceCounter);

        var sEnc = new byte[KeyLength];
        var sMac = new byte[KeyLength];
        var sRmac = new byte[KeyLength];
        var sDek = new byte[KeyLength];
        try
        {
            DeriveSessionKey(enc, 0x82, sequenceCounter, sEnc);
            DeriveSessionKey(mac, 0x01, sequenceCounter, sMac);
            DeriveSessionKey(mac, 0x02, sequenceCounter, sRmac);
            DeriveSessionKey(dek, 0x81, sequenceCounter, sDek);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(sEnc);
            CryptographicOperations.ZeroMemory(sMac);
            CryptographicOperations.ZeroMemory(sRmac);
            CryptographicOperations.ZeroMemory(sDek);
            throw;
        }

        return new Scp02SessionKeys(sEnc, sMac, sRmac, sDek);
    }

    /// <summary>
    /// The card cryptogram: full TDES MAC (ISO/IEC 9797-1 MAC algorithm 1, TDES-CBC, ICV 0) under S-ENC of
    /// host challenge || sequence counter || card challenge padded with <c>80 00..</c>
    /// (GlobalPlatform Card Specification 2.3.1, E.4.2.1).
    /// </summary>
    /// <param name="sEnc">The S-ENC session key (16 bytes).</param>
    /// <param name="sequenceCounter">The 2-byte sequence counter.</param>
    /// <param name="hostChallenge">The 8-byte host challenge.</param>
    /// <param name="cardChallenge">The 6-byte card challenge.</param>
    /// <exception cref="CryptoInputException">A field has the wrong length.</exception>
    public static byte[] CardCryptogram(
        ReadOnlySpan<byte> sEnc,
        ReadOnlySpan<byte> sequenceCounter,
        ReadOnlySpan<byte> hostChallenge,
        ReadOnlySpan<byte> cardChallenge)
    {
        RequireCryptogramInputs(sEnc, sequenceCounter, hostChallenge, cardChallenge);
        Span<byte> data = stackalloc byte[3 * BlockSize];
        hostChallenge.CopyTo(data);
        sequenceCounter.CopyTo(data[HostChallengeLength..]);
        cardChallenge.CopyTo(data[(HostChallengeLength + SequenceCounterLength)..]);
        return FullTdesMacOfTwoBlocks(sEnc, data);
    }

    /// <summary>
    /// The host cryptogram: full TDES MAC under S-ENC of sequence counter || card challenge || host challenge padded
    /// with <c>80 00..</c> (GlobalPlatform Card Specification 2.3.1, E.4.2.2).
    /// </summary>
    /// <param name="sEnc">The S-ENC session key (16 bytes).</param>
    /// <param name="sequenceCounter">The 2-byte sequence counter.</param>
    /// <param name="hostChallenge">The 8-byte host challenge.</param>
    /// <param name="cardChallenge">The 6-byte card challenge.</param>
    /// <exception cref="CryptoInputException">A field has the wrong length.</exception>
    public static byte[] HostCryptogram(
        ReadOnlySpan<byte> sEnc,
        ReadOnlySpan<byte> sequenceCounter,
        ReadOnlySpan<byte> hostChallenge,
        ReadOnlySpan<byte> cardChallenge)
    {
        RequireCryptogramInputs(sEnc, sequenceCounter, hostChallenge, cardChallenge);
        Span<byte> data = stackalloc byte[3 * BlockSize];
        sequenceCounter.CopyTo(data);
        cardChallenge.CopyTo(data[SequenceCounterLength..]);
        hostChallenge.CopyTo(data[(SequenceCounterLength + CardChallengeLength)..]);
        return FullTdesMacOfTwoBlocks(sEnc, data);
    }

    /// <summary>
    /// ISO/IEC 9797-1 MAC algorithm 3 with padding method 2 (single DES CBC under the left key half, final block
    /// decrypted under the right half and encrypted under the left), with initial chaining value
    /// <paramref name="icv"/>: the SCP02 C-MAC (GlobalPlatform Card Specification 2.3.1, B.1.2.2 and E.4.4).
    /// </summary>
    /// <param name="key">A 2-key TDES key (16 bytes), e.g. the C-MAC session key.</param>
    /// <param name="data">The data, unpadded: <c>80 00..</c> is added here.</param>
    /// <param name="icv">The 8-byte initial chaining value (zero for the first command of a session).</param>
    /// <returns>The 8-byte MAC.</returns>
    /// <exception cref="CryptoInputException">Field <c>key</c> or <c>icv</c> has the wrong length.</exception>
    public static byte[] RetailMac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> icv)
    {
        GpInput.RequireTwoKeyTdes(key, "key");
        GpInput.RequireLength(icv, BlockSize, "icv", "an initial chaining value");

        var paddedLength = ((data.Length / BlockSize) + 1) * BlockSize;
        Span<byte> padded = paddedLength <= MaxStackMacInput ? stackalloc byte[paddedLength] : new byte[paddedLength];
        data.CopyTo(padded);
        padded[data.Length] = 0x80;
        padded[(data.Length + 1)..].Clear();

        var mac = new byte[MacLength];
        BlockCipher.RetailMac(key, icv, padded, mac);
        return mac;
    }

    /// <summary>
    /// Builds the EXTERNAL AUTHENTICATE command <c>84 82 P1 00 10 || host cryptogram || C-MAC</c>; the C-MAC is the
    /// retail MAC under the C-MAC session key, ICV zero (first command of the session), over the modified APDU
    /// <c>84 82 P1 00 10 || host cryptogram</c> (GlobalPlatform Card Specification 2.3.1, E.4.4 and E.5.2).
    /// Implementation options that MAC the unmodified APDU (<c>i</c> bit 2 set) are not covered.
    /// </summary>
    /// <param name="sMac">The C-MAC session key (16 bytes).</param>
    /// <param name="hostCryptogram">The 8-byte host cryptogram.</param>
    /// <param name="securityLevel">P1: <c>00</c>, <c>01</c>, <c>03</c>, <c>10</c>, <c>11</c> or <c>13</c> (GlobalPlatform Card Specification 2.3.1, E.5.2.3).</param>
    /// <returns>The 21-byte command APDU.</returns>
    /// <exception cref="CryptoInputException">Field <c>s-mac</c>, <c>host-cryptogram</c> or <c>security-level</c> is invalid.</exception>
    public static byte[] ExternalAuthenticateCommand(ReadOnlySpan<byte> sMac, ReadOnlySpan<byte> hostCryptogram, byte securityLevel)
    {
        GpInput.RequireTwoKeyTdes(sMac, "s-mac");
        GpInput.RequireLength(hostCryptogram, CryptogramLength, "host-cryptogram", "a host cryptogram");
        if (securityLevel is not (0x00 or 0x01 or 0x03 or 0x10 or 0x11 or 0x13))
        {
            throw new CryptoInputException("security-level", "expected 00, 01, 03, 10, 11 or 13");
        }

        var command = new byte[5 + CryptogramLength + MacLength];
        command[0] = 0x84;
        command[1] = 0x82;
        command[2] = securityLevel;
        command[3] = 0x00;
        command[4] = CryptogramLength + MacLength;
        hostCryptogram.CopyTo(command.AsSpan(5));

        Span<byte> padded = stackalloc byte[2 * BlockSize];
        command.AsSpan(0, 5 + CryptogramLength).CopyTo(padded);
        padded[5 + CryptogramLength] = 0x80;
        padded[(5 + CryptogramLength + 1)..].Clear();
        Span<byte> icv = stackalloc byte[BlockSize];
        icv.Clear();
        BlockCipher.RetailMac(sMac, icv, padded, command.AsSpan(5 + CryptogramLength));
        return command;
    }

    private static void DeriveSessionKey(ReadOnlySpan<byte> key, byte constant, ReadOnlySpan<byte> sequenceCounter, Span<byte> destination)
    {
        Span<byte> derivationData = stackalloc byte[KeyLength];
        derivationData.Clear();
        derivationData[0] = 0x01;
        derivationData[1] = constant;
        sequenceCounter.CopyTo(derivationData[2..]);
        Span<byte> icv = stackalloc byte[BlockSize];
        icv.Clear();
        BlockCipher.TdesCbcEncrypt(key, icv, derivationData, destination);
    }

    // 16 bytes of cryptogram input followed by the padding block 80 00 .. 00; the MAC is the last CBC block.
    private static byte[] FullTdesMacOfTwoBlocks(ReadOnlySpan<byte> key, Span<byte> data)
    {
        data[(2 * BlockSize)..].Clear();
        data[2 * BlockSize] = 0x80;
        Span<byte> icv = stackalloc byte[BlockSize];
        icv.Clear();
        Span<byte> output = stackalloc byte[3 * BlockSize];
        BlockCipher.TdesCbcEncrypt(key, icv, data, output);
        var cryptogram = output[(2 * BlockSize)..].ToArray();
        CryptographicOperations.ZeroMemory(output);
        return cryptogram;
    }

    private static void RequireCryptogramInputs(
        ReadOnlySpan<byte> sEnc,
        ReadOnlySpan<byte> sequenceCounter,
        ReadOnlySpan<byte> hostChallenge,
        ReadOnlySpan<byte> cardChallenge)
    {
        GpInput.RequireTwoKeyTdes(sEnc, "s-enc");
        RequireSequenceCounter(sequenceCounter);
        GpInput.RequireLength(hostChallenge, HostChallengeLength, "host-challenge", "a host challenge");
        GpInput.RequireLength(cardChallenge, CardChallengeLength, "card-challenge", "a card challenge");
    }

    private static void RequireSequenceCounter(ReadOnlySpan<byte> sequenceCounter) =>
        GpInput.RequireLength(sequenceCounter, SequenceCounterLength, "sequence-counter", "an SCP02 sequence counter");
}
