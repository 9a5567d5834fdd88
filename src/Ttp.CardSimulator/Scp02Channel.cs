using System.Security.Cryptography;
using Ttp.Crypto.GlobalPlatform;

namespace Ttp.CardSimulator;

/// <summary>
/// The card's side of an SCP02 session, implementation options 15 and 55: explicit initiation, C-MAC on the
/// modified APDU, ICV encryption (GlobalPlatform Card Specification 2.3.1, annex E).
/// </summary>
public sealed class Scp02Channel : SecureChannel
{
    private readonly Scp02SessionKeys sessionKeys;
    private readonly byte[] sequenceCounter;
    private readonly byte[] hostChallenge;
    private readonly byte[] cardChallenge;
    private byte[] lastMac = [];

    /// <summary>Starts a session: derives the session keys and answers INITIALIZE UPDATE (E.5.1).</summary>
    public Scp02Channel(CardKeySet keySet, ReadOnlySpan<byte> kdd, int counter, ReadOnlySpan<byte> hostChallenge, CardRandom random)
        : base(keySet)
    {
        ArgumentNullException.ThrowIfNull(keySet);
        ArgumentNullException.ThrowIfNull(random);
        sequenceCounter = [(byte)(counter >> 8), (byte)counter];
        this.hostChallenge = hostChallenge.ToArray();
        cardChallenge = new byte[Scp02.CardChallengeLength];
        random(cardChallenge);
        sessionKeys = Scp02.DeriveSessionKeys(keySet.Enc, keySet.Mac, keySet.Dek, sequenceCounter);
        var cryptogram = Scp02.CardCryptogram(sessionKeys.SEnc, sequenceCounter, this.hostChallenge, cardChallenge);
        InitializeUpdateResponse = [.. kdd, keySet.KeyVersion, 0x02, .. sequenceCounter, .. cardChallenge, .. cryptogram];
    }

    public override byte[] InitializeUpdateResponse { get; }

    public override CommandApdu Unwrap(CommandApdu command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Data.Length < Scp02.MacLength)
        {
            throw new CardException(StatusWord.SecurityStatusNotSatisfied, "secured command without a C-MAC");
        }

        var payload = command.Data[..^Scp02.MacLength];
        var clear = payload;
        if ((SecurityLevel & CommandDecryption) != 0 && payload.Length > 0)
        {
            if (payload.Length % 8 != 0)
            {
                throw new CardException(StatusWord.SecurityStatusNotSatisfied, "encrypted data is not whole TDES blocks");
            }

            clear = RemovePadding(Scp02SecureMessaging.DecryptCommandData(sessionKeys.SEnc, payload), 8);
        }

        // E.4.4: the C-MAC covers the modified header (Lc counting the C-MAC) and the clear data.
        byte[] macInput = [command.Cla, command.Ins, command.P1, command.P2, (byte)(clear.Length + Scp02.MacLength), .. clear];
        var icv = Scp02SecureMessaging.EncryptIcv(sessionKeys.SMac, lastMac);
        var expected = Scp02.RetailMac(sessionKeys.SMac, macInput, icv);
        RequireMac(expected, command.Data.AsSpan(payload.Length));
        lastMac = expected;
        return command.With((byte)(command.Cla & ~0x04), clear);
    }

    public override byte[] DecryptKey(ReadOnlySpan<byte> encrypted) => GpKeyEncryption.DecryptTdes(sessionKeys.SDek, encrypted);

    protected override bool IsSupportedLevel(byte level) => level is 0x00 or 0x01 or 0x03;

    protected override byte[] HostCryptogram() => Scp02.HostCryptogram(sessionKeys.SEnc, sequenceCounter, hostChallenge, cardChallenge);

    protected override void VerifyExternalAuthenticateMac(CommandApdu command)
    {
        byte[] macInput = [command.Cla, command.Ins, command.P1, command.P2, ExternalAuthenticateDataLength, .. command.Data.AsSpan(0, 8)];
        var expected = Scp02.RetailMac(sessionKeys.SMac, macInput, new byte[8]);
        RequireMac(expected, command.Data.AsSpan(8));
        lastMac = expected;
    }

    protected override void Dispose(bool disposing)
    {
        sessionKeys.Dispose();
        CryptographicOperations.ZeroMemory(lastMac);
    }
}
