using System.Security.Cryptography;
using Ttp.Crypto.GlobalPlatform;
using Ttp.TsmClient.Card;
using Ttp.TsmClient.Keys;

namespace Ttp.TsmClient.Channel;

/// <summary>
/// The host's side of SCP02 (implementation options 15 and 55): session keys from the sequence counter, C-MAC on the
/// modified APDU with the ICV encrypted after the first command, C-DECRYPTION over the clear data
/// (GlobalPlatform Card Specification 2.3.1, annex E).
/// </summary>
internal sealed class Scp02HostChannel : HostChannel
{
    private const int AnswerLength = 28;

    private readonly Scp02SessionKeys sessionKeys;
    private readonly byte[] externalAuthenticate;
    private byte[] lastMac;

    public Scp02HostChannel(CardConnection card, CardInfo info, byte keyVersion, CardKeys keys, byte level, byte[] hostChallenge, byte[] answer, string step)
        : base(card, keyVersion, level)
    {
        // KDD (10) || KVN || 02 || sequence counter (2) || card challenge (6) || card cryptogram (8) (E.5.1.4).
        RequireHeader(answer, AnswerLength, info, keyVersion, 0x02, step);
        var counter = answer.AsSpan(12, 2);
        var cardChallenge = answer.AsSpan(14, 6);
        sessionKeys = Scp02.DeriveSessionKeys(keys.Enc, keys.Mac, keys.Dek, counter);
        var expected = Scp02.CardCryptogram(sessionKeys.SEnc, counter, hostChallenge, cardChallenge);
        try
        {
            RequireCardCryptogram(expected, answer.AsSpan(20, 8), keyVersion, step);
        }
        catch
        {
            sessionKeys.Dispose();
            throw;
        }

        var hostCryptogram = Scp02.HostCryptogram(sessionKeys.SEnc, counter, hostChallenge, cardChallenge);
        externalAuthenticate = Scp02.ExternalAuthenticateCommand(sessionKeys.SMac, hostCryptogram, level);
        lastMac = externalAuthenticate[^8..];
    }

    public override byte[] EncryptKey(ReadOnlySpan<byte> key) => GpKeyEncryption.EncryptTdes(sessionKeys.SDek, key);

    protected override byte[] ExternalAuthenticate() => externalAuthenticate;

    // E.4.4: the C-MAC covers the modified header (Lc counting the MAC) and the clear data; then C-DECRYPTION (E.4.6).
    protected override byte[] Wrap(byte cla, byte ins, byte p1, byte p2, byte[] data)
    {
        byte[] macInput = [cla, ins, p1, p2, (byte)(data.Length + 8), .. data];
        var icv = Scp02SecureMessaging.EncryptIcv(sessionKeys.SMac, lastMac);
        var mac = Scp02.RetailMac(sessionKeys.SMac, macInput, icv);
        lastMac = mac;
        var field = (Level & CommandEncryption) != 0 && data.Length > 0 ? Scp02SecureMessaging.EncryptCommandData(sessionKeys.SEnc, data) : data;
        return [cla, ins, p1, p2, (byte)(field.Length + 8), .. field, .. mac, 0x00];
    }

    protected override void Dispose(bool disposing)
    {
        sessionKeys.Dispose();
        CryptographicOperations.ZeroMemory(lastMac);
    }
}
