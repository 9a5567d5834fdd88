using System.Security.Cryptography;
using Ttp.Crypto.Primitives;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// SCP03 mutual authentication (GlobalPlatform Card Specification 2.3.1 Amendment D v1.1.2, 6.2): session keys,
/// card and host cryptograms, the pseudo-random card challenge and the EXTERNAL AUTHENTICATE command.
/// Challenges and cryptograms are 8 bytes (the S8 mode).
/// </summary>
public static class Scp03
{
    /// <summary>Length of the host and card challenges in S8 mode (Amendment D v1.1.2, 6.2.2.2).</summary>
    public const int ChallengeLength = 8;

    /// <summary>Length of the card and host cryptograms in S8 mode (Amendment D v1.1.2, 6.2.2.2 and 6.2.2.3).</summary>
    public const int CryptogramLength = 8;

    /// <summary>Length of the SCP03 sequence counter (Amendment D v1.1.2, 6.2.2.1).</summary>
    public const int SequenceCounterLength = 3;

    /// <summary>Length of the C-MAC appended to a command in S8 mode (Amendment D v1.1.2, 6.2.4).</summary>
    public const int CmacLength = 8;

    private const int MacChainingValueLength = 16;

    private const byte ExternalAuthenticateCla = 0x84;

    private const byte ExternalAuthenticateIns = 0x82;

    /// <summary>
    /// Derives S-ENC from the static ENC key and S-MAC and S-RMAC from the static MAC key, with context host challenge ||
    /// card challenge and L the static key length (Amendment D v1.1.2, 6.2.1).
    /// The caller disposes the result, which zeroes the keys.
    /// </summary>
    /// <param name="enc">The static ENC key (AES, 16, 24 or 32 bytes).</param>
    /// <param name="mac">The static MAC key (AES, 16, 24 or 32 bytes).</param>
    /// <param name="hostChallenge">The 8-byte host challenge of INITIALIZE UPDATE.</param>
    /// <param name="cardChallenge">The 8-byte card challenge of the INITIALIZE UPDATE response.</param>
    /// <exception cref="CryptoInputException">Field <c>enc</c>, <c>mac</c>, <c>host-challenge</c> or <c>card-challenge</c> has the wrong length.</exception>
    public static Scp03SessionKeys DeriveSessionKeys(
        ReadOnlySpan<byte> enc,
        ReadOnlySpan<byte> mac,
        ReadOnlySpan<byte> hostChallenge,
        ReadOnlySpan<byte> cardChallenge)
    {
        GpInput.RequireAesKey(enc, "enc");
        GpInput.RequireAesKey(mac, "mac");
        Span<byte> context = stackalloc byte[2 * ChallengeLength];
        WriteChallengeContext(hostChallenge, cardChallenge, context);

        var sEnc = new byte[enc.Length];
        var sMac = new byte[mac.Length];
        var sRmac = new byte[mac.Length];
        try
        {
            Scp03Kdf.Derive(enc, Scp03DerivationConstant.SEnc, context, enc.Length * 8, sEnc);
            Scp03Kdf.Derive(mac, Scp03DerivationConstant.SMac, context, mac.Length * 8, sMac);
            Scp03Kdf.Derive(mac, Scp03DerivationConstant.SRmac, context, mac.Length * 8, sRmac);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(sEnc);
            CryptographicOperations.ZeroMemory(sMac);
            CryptographicOperations.ZeroMemory(sRmac);
            throw;
        }

        return new Scp03SessionKeys(sEnc, sMac, sRmac);
    }

    /// <summary>
    /// The card cryptogram: the SCP03 KDF under S-MAC with constant 00, L = 64 and context host challenge || card
    /// challenge (Amendment D v1.1.2, 6.2.2.2).
    /// </summary>
    /// <param name="sMac">The S-MAC session key.</param>
    /// <param name="hostChallenge">The 8-byte host challenge.</param>
    /// <param name="cardChallenge">The 8-byte card challenge.</param>
    /// <exception cref="CryptoInputException">Field <c>s-mac</c>, <c>host-challenge</c> or <c>card-challenge</c> has the wrong length.</exception>
    public static byte[] CardCryptogram(ReadOnlySpan<byte> sMac, ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> cardChallenge) =>
        Cryptogram(Scp03DerivationConstant.CardCryptogram, sMac, hostChallenge, cardChallenge);

    /// <summary>
    /// The host cryptogram: the SCP03 KDF under S-MAC with constant 01, L = 64 and context host challenge || card
    /// challenge (Amendment D v1.1.2, 6.2.2.3).
    /// </summary>
    /// <param name="sMac">The S-MAC session key.</param>
    /// <param name="hostChallenge">The 8-byte host challenge.</param>
    /// <param name="cardChallenge">The 8-byte card challenge.</param>
    /// <exception cref="CryptoInputException">Field <c>s-mac</c>, <c>host-challenge</c> or <c>card-challenge</c> has the wrong length.</exception>
    public static byte[] HostCryptogram(ReadOnlySpan<byte> sMac, ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> cardChallenge) =>
        Cryptogram(Scp03DerivationConstant.HostCryptogram, sMac, hostChallenge, cardChallenge);

    /// <summary>
    /// The pseudo-random card challenge of implementation option <c>i</c> bit 5: the SCP03 KDF under the static ENC key
    /// with constant 02, L = 64 and context sequence counter || AID of the invoking application
    /// (Amendment D v1.1.2, 6.2.2.1).
    /// </summary>
    /// <param name="enc">The static ENC key (AES, 16, 24 or 32 bytes).</param>
    /// <param name="sequenceCounter">The 3-byte sequence counter (incremented before use by the card).</param>
    /// <param name="applicationAid">The AID of the Security Domain the secure channel is opened with (5 to 16 bytes).</param>
    /// <exception cref="CryptoInputException">Field <c>enc</c>, <c>sequence-counter</c> or <c>application-aid</c> has the wrong length.</exception>
    public static byte[] PseudoRandomCardChallenge(ReadOnlySpan<byte> enc, ReadOnlySpan<byte> sequenceCounter, ReadOnlySpan<byte> applicationAid)
    {
        GpInput.RequireAesKey(enc, "enc");
        GpInput.RequireLength(sequenceCounter, SequenceCounterLength, "sequence-counter", "an SCP03 sequence counter");
        if (applicationAid.Length is < 5 or > 16)
        {
            throw new CryptoInputException("application-aid", $"expected an AID of 5 to 16 bytes, found {applicationAid.Length} bytes");
        }

        Span<byte> context = stackalloc byte[SequenceCounterLength + applicationAid.Length];
        sequenceCounter.CopyTo(context);
        applicationAid.CopyTo(context[SequenceCounterLength..]);
        var challenge = new byte[ChallengeLength];
        Scp03Kdf.Derive(enc, Scp03DerivationConstant.CardChallenge, context, ChallengeLength * 8, challenge);
        return challenge;
    }

    /// <summary>
    /// Builds the EXTERNAL AUTHENTICATE command <c>84 82 P1 00 10 || host cryptogram || C-MAC</c>, the C-MAC being the
    /// first 8 bytes of AES-CMAC under S-MAC over the 16-byte zero MAC chaining value || <c>84 82 P1 00 10</c> ||
    /// host cryptogram (Amendment D v1.1.2, 6.2.4 and 7.1.2).
    /// </summary>
    /// <param name="sMac">The S-MAC session key.</param>
    /// <param name="hostCryptogram">The 8-byte host cryptogram.</param>
    /// <param name="securityLevel">P1: <c>00</c>, <c>01</c>, <c>03</c>, <c>11</c>, <c>13</c> or <c>33</c> (Amendment D v1.1.2, 7.1.2, EXTERNAL AUTHENTICATE P1).</param>
    /// <returns>The 21-byte command APDU.</returns>
    /// <exception cref="CryptoInputException">Field <c>s-mac</c>, <c>host-cryptogram</c> or <c>security-level</c> is invalid.</exception>
    public static byte[] ExternalAuthenticateCommand(ReadOnlySpan<byte> sMac, ReadOnlySpan<byte> hostCryptogram, byte securityLevel)
    {
        GpInput.RequireAesKey(sMac, "s-mac");
        GpInput.RequireLength(hostCryptogram, CryptogramLength, "host-cryptogram", "a host cryptogram");
        if (securityLevel is not (0x00 or 0x01 or 0x03 or 0x11 or 0x13 or 0x33))
        {
            throw new CryptoInputException("security-level", "expected 00, 01, 03, 11, 13 or 33");
        }

        var command = new byte[5 + CryptogramLength + CmacLength];
        command[0] = ExternalAuthenticateCla;
        command[1] = ExternalAuthenticateIns;
        command[2] = securityLevel;
        command[3] = 0x00;
        command[4] = CryptogramLength + CmacLength;
        hostCryptogram.CopyTo(command.AsSpan(5));

        Span<byte> macInput = stackalloc byte[MacChainingValueLength + 5 + CryptogramLength];
        macInput[..MacChainingValueLength].Clear();
        command.AsSpan(0, 5 + CryptogramLength).CopyTo(macInput[MacChainingValueLength..]);
        Span<byte> mac = stackalloc byte[BlockCipher.AesBlockSize];
        BlockCipher.AesCmac(sMac, macInput, mac);
        mac[..CmacLength].CopyTo(command.AsSpan(5 + CryptogramLength));
        CryptographicOperations.ZeroMemory(mac);
        return command;
    }

    private static byte[] Cryptogram(byte constant, ReadOnlySpan<byte> sMac, ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> cardChallenge)
    {
        GpInput.RequireAesKey(sMac, "s-mac");
        Span<byte> context = stackalloc byte[2 * ChallengeLength];
        WriteChallengeContext(hostChallenge, cardChallenge, context);
        var cryptogram = new byte[CryptogramLength];
        Scp03Kdf.Derive(sMac, constant, context, CryptogramLength * 8, cryptogram);
        return cryptogram;
    }

    private static void WriteChallengeContext(ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> cardChallenge, Span<byte> context)
    {
        GpInput.RequireLength(hostChallenge, ChallengeLength, "host-challenge", "a host challenge");
        GpInput.RequireLength(cardChallenge, ChallengeLength, "card-challenge", "a card challenge");
        hostChallenge.CopyTo(context);
        cardChallenge.CopyTo(context[ChallengeLength..]);
    }
}
