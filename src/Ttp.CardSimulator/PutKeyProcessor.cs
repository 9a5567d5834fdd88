using System.Security.Cryptography;
using Ttp.Crypto;

namespace Ttp.CardSimulator;

/// <summary>
/// PUT KEY of a whole key set (P2 <c>81</c>: ENC, MAC and DEK with key ids 01 to 03): decrypts each key under the
/// session's key encryption key, checks its check value and adds (P1 <c>00</c>) or replaces (P1 = KVN) the key set
/// (GlobalPlatform Card Specification 2.3.1, 11.8; Amendment D v1.1.2, 7.2).
/// </summary>
public static class PutKeyProcessor
{
    private const byte DesKeyType = 0x80;
    private const byte AesKeyType = 0x88;
    private const int CheckValueLength = 3;

    /// <summary>Processes PUT KEY; answers new KVN || the three check values.</summary>
    public static byte[] Process(CardState card, SecureChannel channel, CommandApdu command)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(command);
        if ((command.P1 & 0x80) != 0 || command.P2 != 0x81)
        {
            throw new CardException(StatusWord.IncorrectP1P2, "only one PUT KEY of a whole key set (P2 81) is supported");
        }

        var replaced = command.P1 == 0 ? null : card.KeySets.Find(k => k.KeyVersion == command.P1)
            ?? throw new CardException(StatusWord.ReferencedDataNotFound, "no key set with that key version number");
        var data = command.Data;
        if (data.Length < 1 || data[0] is 0 or > 0x7F)
        {
            throw new CardException(StatusWord.IncorrectData, "new key version number missing or out of range");
        }

        var newVersion = data[0];
        if (card.KeySets.Exists(k => k.KeyVersion == newVersion && k != replaced))
        {
            throw new CardException(StatusWord.IncorrectData, "the new key version number is taken");
        }

        var template = channel.KeySet;
        var keys = new byte[3][];
        var response = new List<byte> { newVersion };
        try
        {
            var position = 1;
            for (var i = 0; i < 3; i++)
            {
                keys[i] = ReadKey(data, ref position, template.Scp, channel, response);
            }

            if (position != data.Length || keys[1].Length != keys[0].Length || keys[2].Length != keys[0].Length)
            {
                throw new CardException(StatusWord.IncorrectData, "key data has trailing bytes or keys of different lengths");
            }
        }
        catch
        {
            foreach (var key in keys)
            {
                CryptographicOperations.ZeroMemory(key);
            }

            throw;
        }

        var keySet = new CardKeySet(newVersion, template.Scp, template.Option, keys[0], keys[1], keys[2]);
        if (replaced is null)
        {
            card.KeySets.Add(keySet);
        }
        else
        {
            // The session keeps its own copies (session keys, SCP03 DEK), so the old static keys can go now.
            card.KeySets[card.KeySets.IndexOf(replaced)] = keySet;
            replaced.Dispose();
        }

        return [.. response];
    }

    // SCP02: 80 10 <16 encrypted> 03 <KCV>. SCP03: 88 L <key length> <L-1 encrypted, whole AES blocks> 03 <KCV>.
    private static byte[] ReadKey(byte[] data, ref int position, ScpVersion scp, SecureChannel channel, List<byte> response)
    {
        if (data.Length - position < 2)
        {
            throw new CardException(StatusWord.IncorrectData, "key data truncated");
        }

        var type = data[position];
        var length = data[position + 1];
        position += 2;
        if (data.Length - position < length + 1 + CheckValueLength || data[position + length] != CheckValueLength)
        {
            throw new CardException(StatusWord.IncorrectData, "key data truncated or check value missing");
        }

        byte[] key;
        if (scp == ScpVersion.Scp02)
        {
            if (type != DesKeyType || length != 16)
            {
                throw new CardException(StatusWord.IncorrectData, "expected a 16-byte DES key (type 80)");
            }

            key = channel.DecryptKey(data.AsSpan(position, length));
        }
        else
        {
            var keyLength = length > 0 ? data[position] : 0;
            if (type != AesKeyType || keyLength is not (16 or 24 or 32) || (length - 1) % 16 != 0 || length - 1 < keyLength)
            {
                throw new CardException(StatusWord.IncorrectData, "expected an AES key (type 88) of 16, 24 or 32 bytes");
            }

            var padded = channel.DecryptKey(data.AsSpan(position + 1, length - 1));
            key = padded[..keyLength];
            CryptographicOperations.ZeroMemory(padded);
        }

        var checkValue = scp == ScpVersion.Scp02 ? KeyCheckValue.Des(key) : KeyCheckValue.AesGlobalPlatform(key);
        var received = data.AsSpan(position + length + 1, CheckValueLength);
        position += length + 1 + CheckValueLength;
        if (!KeyCheckValue.Matches(checkValue, received))
        {
            CryptographicOperations.ZeroMemory(key);
            throw new CardException(StatusWord.IncorrectData, "key check value does not match the decrypted key");
        }

        response.AddRange(checkValue);
        return key;
    }
}
