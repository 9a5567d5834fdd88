using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;

namespace Ttp.CardSimulator.Tests;

/// <summary>
/// The host (TSM) side of a C-MAC session, for behaviour tests that need a working channel beyond the published
/// traces: INITIALIZE UPDATE, EXTERNAL AUTHENTICATE and C-MACed commands (SCP02 i=15 or SCP03 S8).
/// </summary>
internal sealed class HostChannel : IDisposable
{
    private static readonly byte[] HostChallenge = Convert.FromHexString("0011223344556677");

    private readonly SecureElement card;
    private readonly bool scp03;
    private readonly Scp02SessionKeys? scp02Keys;
    private readonly Scp03SessionKeys? scp03Keys;
    private byte[] chain;

    private HostChannel(SecureElement card, bool scp03, Scp02SessionKeys? scp02Keys, Scp03SessionKeys? scp03Keys, byte[] chain)
    {
        this.card = card;
        this.scp03 = scp03;
        this.scp02Keys = scp02Keys;
        this.scp03Keys = scp03Keys;
        this.chain = chain;
    }

    /// <summary>The EXTERNAL AUTHENTICATE answer of the card.</summary>
    public string ExternalAuthenticateResponse { get; private init; } = string.Empty;

    public static HostChannel OpenScp02(SecureElement card, string key, byte kvn = 0x00, byte level = 0x01, string? enc = null)
    {
        var response = card.Process([0x80, 0x50, kvn, 0x00, 0x08, .. HostChallenge, 0x00]);
        Assert.Equal(0x90, response[^2]);
        var counter = response.AsSpan(12, 2);
        var cardChallenge = response.AsSpan(14, 6);
        var staticKey = Convert.FromHexString(key);
        var keys = Scp02.DeriveSessionKeys(enc is null ? staticKey : Convert.FromHexString(enc), staticKey, staticKey, counter);
        var hostCryptogram = Scp02.HostCryptogram(keys.SEnc, counter, HostChallenge, cardChallenge);
        var command = Scp02.ExternalAuthenticateCommand(keys.SMac, hostCryptogram, level);
        var answer = card.Send(Hex.Encode(command));
        return new HostChannel(card, false, keys, null, command[^8..]) { ExternalAuthenticateResponse = answer };
    }

    public static HostChannel OpenScp03(SecureElement card, string key, byte level = 0x01, byte kvn = 0x00)
    {
        var response = card.Process([0x80, 0x50, kvn, 0x00, 0x08, .. HostChallenge, 0x00]);
        Assert.Equal(0x90, response[^2]);
        var cardChallenge = response.AsSpan(13, 8);
        var staticKey = Convert.FromHexString(key);
        var keys = Scp03.DeriveSessionKeys(staticKey, staticKey, HostChallenge, cardChallenge);
        var hostCryptogram = Scp03.HostCryptogram(keys.SMac, HostChallenge, cardChallenge);
        var command = Scp03.ExternalAuthenticateCommand(keys.SMac, hostCryptogram, level);
        var chain = Scp03SecureMessaging.CommandMac(keys.SMac, new byte[16], command.AsSpan(0, 13));
        var answer = card.Send(Hex.Encode(command));
        return new HostChannel(card, true, null, keys, chain) { ExternalAuthenticateResponse = answer };
    }

    /// <summary>C-MACs a command (CLA 84, data in clear) and sends it; answers the response bytes.</summary>
    public byte[] Send(byte ins, byte p1, byte p2, byte[] data, bool corruptMac = false)
    {
        byte[] header = [0x84, ins, p1, p2, (byte)(data.Length + 8), .. data];
        byte[] mac;
        if (scp03)
        {
            chain = Scp03SecureMessaging.CommandMac(scp03Keys!.SMac, chain, header);
            mac = chain[..8];
        }
        else
        {
            var icv = Scp02SecureMessaging.EncryptIcv(scp02Keys!.SMac, chain);
            chain = Scp02.RetailMac(scp02Keys.SMac, header, icv);
            mac = chain.ToArray();
        }

        if (corruptMac)
        {
            mac[0] ^= 0x01;
        }

        return card.Process([.. header, .. mac, 0x00]);
    }

    /// <summary>The R-MAC the card should have appended to <paramref name="dataAndStatus"/> (SCP03).</summary>
    public byte[] ExpectedResponseMac(byte[] dataAndStatus) =>
        Scp03SecureMessaging.ResponseMac(scp03Keys!.SRmac, chain, dataAndStatus);

    public void Dispose()
    {
        scp02Keys?.Dispose();
        scp03Keys?.Dispose();
    }
}
