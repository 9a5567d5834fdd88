using System.Security.Cryptography;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Crypto.KeyBlocks;
using Ttp.TsmClient.Ttp;

namespace Ttp.TsmClient.Keys;

/// <summary>
/// Unwraps the three keys of a <c>WSGetDiversifiedKeys</c> answer under the TSM's KEK: TR-31 key blocks (version B or D)
/// or GP cryptograms (3DES-ECB under a TDES KEK, AES-CBC with a zero ICV under an AES KEK), after checking that the
/// answer names this KEK (its check value), and checks each key against its check value (DES for SCP02 keys, AES
/// GlobalPlatform for SCP03). Check values are compared in constant time. Any failure is exit 6: no channel is attempted.
/// </summary>
internal static class DeliveryUnwrapper
{
    private const string Step = "unwrap";

    private static readonly string[] Usages = ["ENC", "MAC", "DEK"];

    public static CardKeys Unwrap(KeyResponse response, TsmKek kek, int kekIndex, int scp)
    {
        var kekCheckValue = kek.CheckValue();
        if (!TryHex(response.KekCheckValue, out var delivered) || !KeyCheckValue.Matches(kekCheckValue, delivered))
        {
            throw new ProvisionException(Step, ExitCodes.Delivery,
                $"the TTP wrapped the keys under KEK {kekIndex} with check value {response.KekCheckValue}, the --kek-file key has check value {Hex.Encode(kekCheckValue)}: not the same KEK (wrong --kek-file or --kek-index); no channel attempted");
        }

        var keys = new byte[3][];
        try
        {
            for (var i = 0; i < Usages.Length; i++)
            {
                var matches = (response.Keys ?? []).Where(k => k.Usage == Usages[i]).ToList();
                if (matches.Count != 1)
                {
                    throw new ProvisionException(Step, ExitCodes.Delivery, $"the answer carries {matches.Count} {Usages[i]} keys, expected one");
                }

                keys[i] = UnwrapOne(matches[0], response.Format, kek, kekIndex);
                var checkValue = scp == 2 ? KeyCheckValue.Des(keys[i]) : KeyCheckValue.AesGlobalPlatform(keys[i]);
                if (!TryHex(matches[0].CheckValue, out var expected) || !KeyCheckValue.Matches(checkValue, expected))
                {
                    throw new ProvisionException(Step, ExitCodes.Delivery,
                        $"{Usages[i]}: the unwrapped key has check value {Hex.Encode(checkValue)}, the TTP gives {matches[0].CheckValue}; no channel attempted");
                }
            }

            return new CardKeys(keys[0], keys[1], keys[2]);
        }
        catch
        {
            foreach (var key in keys.Where(k => k is not null))
            {
                CryptographicOperations.ZeroMemory(key);
            }

            throw;
        }
    }

    private static byte[] UnwrapOne(DeliveredKey key, string? format, TsmKek kek, int kekIndex)
    {
        try
        {
            switch (format)
            {
                case "TR31":
                    using (var result = Tr31KeyBlock.Unwrap(kek.Key, key.KeyBlock ?? string.Empty))
                    {
                        return RequireLength(result.Key.ToArray(), key);
                    }

                case "GP":
                    var cryptogram = Hex.Parse(key.Cryptogram, $"{key.Usage} cryptogram");
                    var clear = kek.IsAes ? GpKeyEncryption.DecryptAes(kek.Key, cryptogram) : GpKeyEncryption.DecryptTdes(kek.Key, cryptogram);
                    var value = clear[..Math.Min(key.Length, clear.Length)];
                    CryptographicOperations.ZeroMemory(clear);
                    return RequireLength(value, key);
                default:
                    throw new ProvisionException(Step, ExitCodes.Delivery, $"the answer's Format is '{format}', expected TR31 or GP");
            }
        }
        catch (Exception e) when (e is Tr31Exception or CryptoInputException)
        {
            throw new ProvisionException(Step, ExitCodes.Delivery, $"{key.Usage}: does not unwrap under KEK {kekIndex} ({e.Message}); no channel attempted");
        }
    }

    private static byte[] RequireLength(byte[] value, DeliveredKey key)
    {
        if (value.Length != key.Length)
        {
            CryptographicOperations.ZeroMemory(value);
            throw new ProvisionException(Step, ExitCodes.Delivery, $"{key.Usage}: the unwrapped key has another length than the {key.Length} bytes announced");
        }

        return value;
    }

    private static bool TryHex(string? text, out byte[] value)
    {
        try
        {
            value = Hex.Parse(text, "check value");
            return true;
        }
        catch (CryptoInputException)
        {
            value = [];
            return false;
        }
    }
}
