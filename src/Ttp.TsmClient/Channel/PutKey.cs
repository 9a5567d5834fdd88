using System.Security.Cryptography;
using Ttp.Crypto;
using Ttp.TsmClient.Keys;

namespace Ttp.TsmClient.Channel;

/// <summary>
/// Step 8 of the scheme: PUT KEY of a whole key set (P2 <c>81</c>, keys 1 to 3) replacing the key set the session was
/// opened with (P1 = its KVN), each key encrypted under the protocol's DEK with its check value; the card answers the
/// new KVN and the three check values (GlobalPlatform Card Specification 2.3.1, 11.8; Amendment D v1.1.2, 7.2).
/// </summary>
internal static class PutKey
{
    private const string Step = "put-key";

    /// <summary>Sends PUT KEY and checks the card's answer; returns the three check values (ENC, MAC, DEK).</summary>
    /// <exception cref="ProvisionException">The card refused it or answered other check values (exit 8).</exception>
    public static async Task<byte[][]> ReplaceAsync(HostChannel channel, int scp, byte newKeyVersion, CardKeys keys, CancellationToken cancellationToken)
    {
        var checkValues = new[] { keys.Enc, keys.Mac, keys.Dek }
            .Select(k => scp == 2 ? KeyCheckValue.Des(k) : KeyCheckValue.AesGlobalPlatform(k)).ToArray();
        var data = new List<byte> { newKeyVersion };
        var fields = new[] { keys.Enc, keys.Mac, keys.Dek };
        for (var i = 0; i < fields.Length; i++)
        {
            var encrypted = channel.EncryptKey(fields[i]);
            if (scp == 2)
            {
                data.AddRange([0x80, (byte)encrypted.Length, .. encrypted]);
            }
            else
            {
                data.AddRange([0x88, (byte)(encrypted.Length + 1), (byte)fields[i].Length, .. encrypted]);
            }

            data.AddRange([(byte)checkValues[i].Length, .. checkValues[i]]);
        }

        var command = data.ToArray();
        var answer = await channel.SendAsync(0x80, 0xD8, channel.KeyVersion, 0x81, command, Step, cancellationToken).ConfigureAwait(false);
        CryptographicOperations.ZeroMemory(command);
        if (!answer.IsSuccess)
        {
            var why = answer.Status == 0x6A80
                ? ": the card did not accept the key data (each key decrypted under its DEK must give its check value: a DEK that is not the card's?)"
                : string.Empty;
            throw new ProvisionException(Step, ExitCodes.Rotation, $"PUT KEY: the card answered {answer.Describe()}{why}");
        }

        if (answer.Data.Length != 1 + (3 * KeyCheckValue.ShortLength) || answer.Data[0] != newKeyVersion)
        {
            throw new ProvisionException(Step, ExitCodes.Rotation, "PUT KEY: the card's answer is not the new KVN and three check values");
        }

        for (var i = 0; i < 3; i++)
        {
            if (!KeyCheckValue.Matches(checkValues[i], answer.Data.AsSpan(1 + (3 * i), 3)))
            {
                throw new ProvisionException(Step, ExitCodes.Rotation, $"PUT KEY: the card answered check value {Hex.Encode(answer.Data.AsSpan(1 + (3 * i), 3))} for key {i + 1}, expected {Hex.Encode(checkValues[i])}");
            }
        }

        return checkValues;
    }
}
