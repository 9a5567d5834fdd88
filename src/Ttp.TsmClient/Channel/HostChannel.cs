using System.Security.Cryptography;
using Ttp.TsmClient.Card;
using Ttp.TsmClient.Keys;

namespace Ttp.TsmClient.Channel;

/// <summary>
/// The host's side of a secure channel session (steps 6 and 7 of the scheme): INITIALIZE UPDATE, the card cryptogram
/// checked, EXTERNAL AUTHENTICATE, then every command wrapped at the security level chosen (GlobalPlatform Card
/// Specification 2.3.1, 10.2 and annex E; Amendment D v1.1.2, 6 and 7).
/// </summary>
internal abstract class HostChannel : IDisposable
{
    /// <summary>Security level bits (EXTERNAL AUTHENTICATE P1).</summary>
    public const byte CommandMac = 0x01;

    public const byte CommandEncryption = 0x02;

    public const byte ResponseMac = 0x10;

    private readonly CardConnection card;

    protected HostChannel(CardConnection card, byte keyVersion, byte level)
    {
        this.card = card;
        KeyVersion = keyVersion;
        Level = level;
    }

    public byte KeyVersion { get; }

    public byte Level { get; }

    /// <summary>The level in words, e.g. <c>C-MAC + C-DECRYPTION</c>.</summary>
    public static string DescribeLevel(byte level) => level switch
    {
        0x01 => "C-MAC",
        0x03 => "C-MAC + C-DECRYPTION",
        0x13 => "C-MAC + C-DECRYPTION + R-MAC",
        _ => $"{level:X2}",
    };

    /// <summary>Opens a session with the key set <paramref name="keyVersion"/> of the card.</summary>
    /// <exception cref="ProvisionException">The card refused INITIALIZE UPDATE or EXTERNAL AUTHENTICATE, or its cryptogram does not verify (exit 7).</exception>
    public static async Task<HostChannel> OpenAsync(
        CardConnection card, CardInfo info, byte keyVersion, CardKeys keys, byte level, string step, CancellationToken cancellationToken)
    {
        var hostChallenge = RandomNumberGenerator.GetBytes(8);
        var initialize = await card.TransmitAsync([0x80, 0x50, keyVersion, 0x00, 0x08, .. hostChallenge, 0x00], step, cancellationToken).ConfigureAwait(false);
        if (!initialize.IsSuccess)
        {
            throw new ProvisionException(step, ExitCodes.Channel, $"INITIALIZE UPDATE with KVN {keyVersion:X2}: the card answered {initialize.Describe()}");
        }

        HostChannel channel = info.Scp == 2
            ? new Scp02HostChannel(card, info, keyVersion, keys, level, hostChallenge, initialize.Data, step)
            : new Scp03HostChannel(card, info, keyVersion, keys, level, hostChallenge, initialize.Data, step);
        try
        {
            var authenticate = await card.TransmitAsync(channel.ExternalAuthenticate(), step, cancellationToken).ConfigureAwait(false);
            if (!authenticate.IsSuccess)
            {
                throw new ProvisionException(step, ExitCodes.Channel,
                    $"EXTERNAL AUTHENTICATE: the card answered {authenticate.Describe()}: it did not accept the host cryptogram");
            }

            return channel;
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    /// <summary>Sends a command inside the session (CLA with the secure messaging bit) and checks what the level asks of the answer.</summary>
    public async Task<ResponseApdu> SendAsync(byte cla, byte ins, byte p1, byte p2, byte[] data, string step, CancellationToken cancellationToken)
    {
        var command = Wrap((byte)(cla | 0x04), ins, p1, p2, data);
        var response = await card.TransmitAsync(command, step, cancellationToken).ConfigureAwait(false);
        return Unwrap(response, step);
    }

    /// <summary>Encrypts one key value for PUT KEY under the key the protocol names (SCP02 S-DEK, SCP03 static DEK).</summary>
    public abstract byte[] EncryptKey(ReadOnlySpan<byte> key);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected abstract byte[] ExternalAuthenticate();

    protected abstract byte[] Wrap(byte cla, byte ins, byte p1, byte p2, byte[] data);

    protected virtual ResponseApdu Unwrap(ResponseApdu response, string step) => response;

    protected abstract void Dispose(bool disposing);

    /// <summary>Checks the INITIALIZE UPDATE answer's fixed fields: KDD, KVN and protocol.</summary>
    protected static void RequireHeader(ReadOnlySpan<byte> answer, int expectedLength, CardInfo info, byte keyVersion, byte scp, string step)
    {
        if (answer.Length != expectedLength)
        {
            throw new ProvisionException(step, ExitCodes.Channel, $"the INITIALIZE UPDATE answer has {answer.Length} bytes, expected {expectedLength}");
        }

        if (!answer[..10].SequenceEqual(info.Kdd) || answer[10] != keyVersion || answer[11] != scp)
        {
            throw new ProvisionException(step, ExitCodes.Channel,
                $"the INITIALIZE UPDATE answer names KVN {answer[10]:X2} and SCP{answer[11]:X2} with another KDD than the card's (expected KVN {keyVersion:X2}, SCP{scp:X2})");
        }
    }

    /// <summary>Compares the card cryptogram in constant time; a mismatch means the keys are not the card's.</summary>
    protected static void RequireCardCryptogram(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> received, byte keyVersion, string step)
    {
        if (!CryptographicOperations.FixedTimeEquals(expected, received))
        {
            throw new ProvisionException(step, ExitCodes.Channel,
                $"the card cryptogram does not verify: these keys do not open the card's key set KVN {keyVersion:X2} (keys of another master key or another card); nothing was sent after INITIALIZE UPDATE");
        }
    }
}
