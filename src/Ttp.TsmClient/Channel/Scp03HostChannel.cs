using System.Security.Cryptography;
using Ttp.Crypto.GlobalPlatform;
using Ttp.TsmClient.Card;
using Ttp.TsmClient.Keys;

namespace Ttp.TsmClient.Channel;

/// <summary>
/// The host's side of SCP03 in S8 mode: session keys from the challenges, C-MAC with its chaining value over the data as
/// sent, C-DECRYPTION with the encryption counter, R-MAC checked on successful answers (Amendment D v1.1.2, 6.2).
/// </summary>
internal sealed class Scp03HostChannel : HostChannel
{
    private readonly Scp03SessionKeys sessionKeys;
    private readonly byte[] staticDek;
    private readonly byte[] externalAuthenticate;
    private byte[] chainingValue;
    private long encryptionCounter;

    public Scp03HostChannel(CardConnection card, CardInfo info, byte keyVersion, CardKeys keys, byte level, byte[] hostChallenge, byte[] answer, string step)
        : base(card, keyVersion, level)
    {
        // KDD (10) || KVN || 03 || i || card challenge (8) || card cryptogram (8) [|| sequence counter (3)] (7.1.1.3).
        var withCounter = answer.Length >= 13 && (answer[12] & 0x10) != 0;
        RequireHeader(answer, withCounter ? 32 : 29, info, keyVersion, 0x03, step);
        if ((level & ResponseMac) != 0 && (answer[12] & 0x20) == 0)
        {
            throw new ProvisionException(step, ExitCodes.BadInput, $"--security-level: the card's SCP03 option i={answer[12]:X2} has no R-MAC; choose mac or mac-enc");
        }

        var cardChallenge = answer.AsSpan(13, 8);
        sessionKeys = Scp03.DeriveSessionKeys(keys.Enc, keys.Mac, hostChallenge, cardChallenge);
        var expected = Scp03.CardCryptogram(sessionKeys.SMac, hostChallenge, cardChallenge);
        try
        {
            RequireCardCryptogram(expected, answer.AsSpan(21, 8), keyVersion, step);
        }
        catch
        {
            sessionKeys.Dispose();
            throw;
        }

        staticDek = keys.Dek.ToArray();
        var hostCryptogram = Scp03.HostCryptogram(sessionKeys.SMac, hostChallenge, cardChallenge);
        byte[] header = [0x84, 0x82, level, 0x00, 0x10, .. hostCryptogram];
        chainingValue = Scp03SecureMessaging.CommandMac(sessionKeys.SMac, new byte[Scp03SecureMessaging.MacChainingValueLength], header);
        externalAuthenticate = [.. header, .. chainingValue.AsSpan(0, Scp03SecureMessaging.MacLength)];
    }

    // Amendment D 7.2.2.3: the key padded to whole AES blocks, AES-CBC under the static DEK with a zero ICV.
    public override byte[] EncryptKey(ReadOnlySpan<byte> key)
    {
        var padded = new byte[(key.Length + 15) / 16 * 16];
        key.CopyTo(padded);
        var encrypted = GpKeyEncryption.EncryptAes(staticDek, padded);
        CryptographicOperations.ZeroMemory(padded);
        return encrypted;
    }

    protected override byte[] ExternalAuthenticate() => externalAuthenticate;

    // 6.2.6 then 6.2.4: encrypt (the counter counts every command), then MAC the header and the data as sent.
    protected override byte[] Wrap(byte cla, byte ins, byte p1, byte p2, byte[] data)
    {
        var field = data;
        if ((Level & CommandEncryption) != 0)
        {
            encryptionCounter++;
            if (data.Length > 0)
            {
                field = Scp03SecureMessaging.EncryptCommandData(sessionKeys.SEnc, encryptionCounter, data);
            }
        }

        byte[] macInput = [cla, ins, p1, p2, (byte)(field.Length + Scp03SecureMessaging.MacLength), .. field];
        var mac = Scp03SecureMessaging.CommandMac(sessionKeys.SMac, chainingValue, macInput);
        CryptographicOperations.ZeroMemory(chainingValue);
        chainingValue = mac;
        return [.. macInput, .. mac.AsSpan(0, Scp03SecureMessaging.MacLength), 0x00];
    }

    // 6.2.5: successful answers (90xx, 62xx, 63xx) carry an R-MAC over the chaining value, the data and the status word.
    protected override ResponseApdu Unwrap(ResponseApdu response, string step)
    {
        if ((Level & ResponseMac) == 0 || (response.Status >> 8) is not (0x90 or 0x62 or 0x63))
        {
            return response;
        }

        if (response.Data.Length < Scp03SecureMessaging.MacLength)
        {
            throw new ProvisionException(step, ExitCodes.Channel, "the card's answer carries no R-MAC");
        }

        var data = response.Data[..^Scp03SecureMessaging.MacLength];
        var expected = Scp03SecureMessaging.ResponseMac(sessionKeys.SRmac, chainingValue, [.. data, (byte)(response.Status >> 8), (byte)response.Status]);
        if (!CryptographicOperations.FixedTimeEquals(expected, response.Data.AsSpan(data.Length)))
        {
            throw new ProvisionException(step, ExitCodes.Channel, "the R-MAC of the card's answer does not verify");
        }

        return response with { Data = data };
    }

    protected override void Dispose(bool disposing)
    {
        sessionKeys.Dispose();
        CryptographicOperations.ZeroMemory(staticDek);
        CryptographicOperations.ZeroMemory(chainingValue);
    }
}
