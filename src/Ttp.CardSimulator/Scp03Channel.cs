using System.Security.Cryptography;
using Ttp.Crypto.GlobalPlatform;

namespace Ttp.CardSimulator;

/// <summary>
/// The card's side of an SCP03 session in S8 mode, implementation options 00, 10 and 70: C-MAC, C-DECRYPTION and,
/// where <c>i</c> allows it, R-MAC (GlobalPlatform Card Specification 2.3.1 Amendment D v1.1.2, 6.2).
/// </summary>
public sealed class Scp03Channel : SecureChannel
{
    private readonly Scp03SessionKeys sessionKeys;
    private readonly byte[] staticDek;
    private readonly byte[] hostChallenge;
    private readonly byte[] cardChallenge;
    private byte[] chainingValue = new byte[Scp03SecureMessaging.MacChainingValueLength];
    private long encryptionCounter;

    /// <summary>Starts a session: makes the card challenge, derives the session keys and answers INITIALIZE UPDATE (7.1.1).</summary>
    public Scp03Channel(CardKeySet keySet, ReadOnlySpan<byte> kdd, int counter, ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> isdAid, CardRandom random)
        : base(keySet)
    {
        ArgumentNullException.ThrowIfNull(keySet);
        ArgumentNullException.ThrowIfNull(random);
        byte[] sequenceCounter = [(byte)(counter >> 16), (byte)(counter >> 8), (byte)counter];
        this.hostChallenge = hostChallenge.ToArray();
        if (keySet.PseudoRandomChallenge)
        {
            cardChallenge = Scp03.PseudoRandomCardChallenge(keySet.Enc, sequenceCounter, isdAid);
        }
        else
        {
            cardChallenge = new byte[Scp03.ChallengeLength];
            random(cardChallenge);
        }

        staticDek = keySet.Dek.ToArray();
        sessionKeys = Scp03.DeriveSessionKeys(keySet.Enc, keySet.Mac, this.hostChallenge, cardChallenge);
        var cryptogram = Scp03.CardCryptogram(sessionKeys.SMac, this.hostChallenge, cardChallenge);
        InitializeUpdateResponse = keySet.PseudoRandomChallenge
            ? [.. kdd, keySet.KeyVersion, 0x03, keySet.Option, .. cardChallenge, .. cryptogram, .. sequenceCounter]
            : [.. kdd, keySet.KeyVersion, 0x03, keySet.Option, .. cardChallenge, .. cryptogram];
    }

    public override byte[] InitializeUpdateResponse { get; }

    public override CommandApdu Unwrap(CommandApdu command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Data.Length < Scp03SecureMessaging.MacLength)
        {
            throw new CardException(StatusWord.SecurityStatusNotSatisfied, "secured command without a C-MAC");
        }

        // 6.2.4: the C-MAC covers the header as sent and the data field as sent (encrypted when C-DECRYPTION is on).
        var payload = command.Data[..^Scp03SecureMessaging.MacLength];
        byte[] macInput = [command.Cla, command.Ins, command.P1, command.P2, (byte)command.Data.Length, .. payload];
        var mac = Scp03SecureMessaging.CommandMac(sessionKeys.SMac, chainingValue, macInput);
        RequireMac(mac.AsSpan(0, Scp03SecureMessaging.MacLength), command.Data.AsSpan(payload.Length));
        CryptographicOperations.ZeroMemory(chainingValue);
        chainingValue = mac;

        var clear = payload;
        if ((SecurityLevel & CommandDecryption) != 0)
        {
            // 6.2.6: the counter counts every command of the session, with or without data.
            encryptionCounter++;
            if (payload.Length > 0)
            {
                if (payload.Length % 16 != 0)
                {
                    throw new CardException(StatusWord.SecurityStatusNotSatisfied, "encrypted data is not whole AES blocks");
                }

                clear = RemovePadding(Scp03SecureMessaging.DecryptCommandData(sessionKeys.SEnc, encryptionCounter, payload), 16);
            }
        }

        return command.With((byte)(command.Cla & ~0x04), clear);
    }

    /// <summary>Appends the R-MAC when the level asks for it and the status word is not an error (6.2.5).</summary>
    public override byte[] Wrap(byte[] data, ushort status)
    {
        ArgumentNullException.ThrowIfNull(data);
        var isError = (status >> 8) is not (0x90 or 0x62 or 0x63);
        if ((SecurityLevel & ResponseMac) == 0 || isError)
        {
            return Append(data, status);
        }

        var rmac = Scp03SecureMessaging.ResponseMac(sessionKeys.SRmac, chainingValue, Append(data, status));
        return Append([.. data, .. rmac], status);
    }

    public override byte[] DecryptKey(ReadOnlySpan<byte> encrypted) => GpKeyEncryption.DecryptAes(staticDek, encrypted);

    protected override bool IsSupportedLevel(byte level) =>
        level is 0x00 or 0x01 or 0x03 || (level is 0x11 or 0x13 && KeySet.SupportsResponseMac);

    protected override byte[] HostCryptogram() => Scp03.HostCryptogram(sessionKeys.SMac, hostChallenge, cardChallenge);

    protected override void VerifyExternalAuthenticateMac(CommandApdu command)
    {
        byte[] macInput = [command.Cla, command.Ins, command.P1, command.P2, ExternalAuthenticateDataLength, .. command.Data.AsSpan(0, 8)];
        var mac = Scp03SecureMessaging.CommandMac(sessionKeys.SMac, chainingValue, macInput);
        RequireMac(mac.AsSpan(0, Scp03SecureMessaging.MacLength), command.Data.AsSpan(8));
        chainingValue = mac;
    }

    protected override void Dispose(bool disposing)
    {
        sessionKeys.Dispose();
        CryptographicOperations.ZeroMemory(staticDek);
        CryptographicOperations.ZeroMemory(chainingValue);
    }
}
