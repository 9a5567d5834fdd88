using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;

namespace Ttp.CardSimulator;

/// <summary>
/// The personalisation of the simulated card, read from the JSON card file (docs/CARD-SIMULATOR.md):
/// <c>{"iin","cin","kdd","securityDomainManagerUrl","sequenceCounter","keySets":[{"kvn","scp","i","keys":{"enc","mac","dek"}}]}</c>.
/// </summary>
public sealed class CardProfile
{
    private CardProfile(byte[] isdAid, byte[] iin, byte[] cin, byte[] kdd, string url, int sequenceCounter, List<CardKeySet> keySets)
    {
        IsdAid = isdAid;
        Iin = iin;
        Cin = cin;
        Kdd = kdd;
        SecurityDomainManagerUrl = url;
        SequenceCounter = sequenceCounter;
        KeySets = keySets;
    }

    /// <summary>The AID of the Issuer Security Domain (optional <c>isdAid</c>; default the GlobalPlatform 2.3 ISD AID A000000151000000).</summary>
    public byte[] IsdAid { get; }

    public byte[] Iin { get; }

    public byte[] Cin { get; }

    /// <summary>The 10-byte key diversification data.</summary>
    public byte[] Kdd { get; }

    public string SecurityDomainManagerUrl { get; }

    /// <summary>The counter the next INITIALIZE UPDATE uses.</summary>
    public int SequenceCounter { get; }

    /// <summary>The key sets, the first being the default one.</summary>
    public List<CardKeySet> KeySets { get; }

    /// <summary>Reads a card file.</summary>
    /// <exception cref="CardProfileException">The file is missing, not JSON or not a valid card.</exception>
    public static CardProfile Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CardProfileException.For("card", $"cannot read the card file ({e.GetType().Name})");
        }

        return Parse(json);
    }

    /// <summary>Reads a card from its JSON text.</summary>
    /// <exception cref="CardProfileException">The text is not JSON or not a valid card.</exception>
    public static CardProfile Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw CardProfileException.For("card", $"not valid JSON (line {e.LineNumber + 1})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw CardProfileException.For("card", "expected a JSON object");
            }

            var iin = ReadHex(root, "iin", "iin", 1, CardDataObjects.MaxIdentificationNumberLength);
            var cin = ReadHex(root, "cin", "cin", 1, CardDataObjects.MaxIdentificationNumberLength);
            var kdd = ReadHex(root, "kdd", "kdd", CardDataObjects.KeyDiversificationDataLength, CardDataObjects.KeyDiversificationDataLength);
            var url = ReadString(root, "securityDomainManagerUrl", "securityDomainManagerUrl");
            if (Encoding.UTF8.GetByteCount(url) > 127)
            {
                throw CardProfileException.For("securityDomainManagerUrl", "at most 127 bytes");
            }

            var keySets = ReadKeySets(root);
            try
            {
                var counterBytes = ReadHex(root, "sequenceCounter", "sequenceCounter", 1, 3);
                var counter = 0;
                foreach (var b in counterBytes)
                {
                    counter = (counter << 8) | b;
                }

                if (counter > MaxCounter(keySets[0].Scp))
                {
                    throw CardProfileException.For("sequenceCounter", "larger than the protocol's counter (2 bytes for SCP02, 3 for SCP03)");
                }

                var isdAid = root.TryGetProperty("isdAid", out _)
                    ? ReadHex(root, "isdAid", "isdAid", 5, 16)
                    : Convert.FromHexString(DefaultIsdAid);
                return new CardProfile(isdAid, iin, cin, kdd, url, counter, keySets);
            }
            catch
            {
                keySets.ForEach(k => k.Dispose());
                throw;
            }
        }
    }

    /// <summary>The GlobalPlatform 2.3 ISD AID (<c>GP231_ISD_AID</c> in kaoh/globalplatform), the default <c>isdAid</c>.</summary>
    public const string DefaultIsdAid = "A000000151000000";

    /// <summary>The largest sequence counter of a protocol: 2 bytes in SCP02, 3 in SCP03.</summary>
    public static int MaxCounter(ScpVersion scp) => scp == ScpVersion.Scp02 ? 0xFFFF : 0xFFFFFF;

    private static List<CardKeySet> ReadKeySets(JsonElement root)
    {
        if (!root.TryGetProperty("keySets", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            throw CardProfileException.For("keySets", "expected an array of at least one key set");
        }

        var keySets = new List<CardKeySet>();
        try
        {
            ReadEach(array, keySets);
        }
        catch
        {
            keySets.ForEach(k => k.Dispose());
            throw;
        }

        return keySets;
    }

    private static void ReadEach(JsonElement array, List<CardKeySet> keySets)
    {
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var keySet = ReadKeySet(element, $"keySets[{index}]");
            if (keySets.Exists(k => k.KeyVersion == keySet.KeyVersion))
            {
                keySet.Dispose();
                throw CardProfileException.For($"keySets[{index}].kvn", "a key version number that another key set already has");
            }

            if (keySets.Count > 0 && keySets[0].Scp != keySet.Scp)
            {
                keySet.Dispose();
                throw CardProfileException.For($"keySets[{index}].scp", "all key sets of a card use the same protocol");
            }

            keySets.Add(keySet);
            index++;
        }
    }

    private static CardKeySet ReadKeySet(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw CardProfileException.For(path, "expected an object");
        }

        var kvn = ReadHex(element, "kvn", $"{path}.kvn", 1, 1)[0];
        if (kvn is 0 or > 0x7F)
        {
            throw CardProfileException.For($"{path}.kvn", "expected a key version number from 01 to 7F");
        }

        var scp = ReadString(element, "scp", $"{path}.scp") switch
        {
            "02" => ScpVersion.Scp02,
            "03" => ScpVersion.Scp03,
            _ => throw CardProfileException.For($"{path}.scp", "expected \"02\" or \"03\""),
        };
        var option = ReadHex(element, "i", $"{path}.i", 1, 1)[0];
        var validOption = scp == ScpVersion.Scp02 ? option is 0x15 or 0x55 : option is 0x00 or 0x10 or 0x70;
        if (!validOption)
        {
            throw CardProfileException.For($"{path}.i", scp == ScpVersion.Scp02 ? "expected 15 or 55 for SCP02" : "expected 00, 10 or 70 for SCP03");
        }

        if (!element.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Object)
        {
            throw CardProfileException.For($"{path}.keys", "expected an object with enc, mac and dek");
        }

        var (min, max) = scp == ScpVersion.Scp02 ? (16, 16) : (16, 32);
        byte[] enc = [], mac = [], dek = [];
        try
        {
            enc = ReadKey(keys, "enc", $"{path}.keys.enc", min, max);
            mac = ReadKey(keys, "mac", $"{path}.keys.mac", min, max);
            dek = ReadKey(keys, "dek", $"{path}.keys.dek", min, max);
            if (mac.Length != enc.Length || dek.Length != enc.Length)
            {
                throw CardProfileException.For($"{path}.keys", "enc, mac and dek must have the same length");
            }
        }
        catch
        {
            CryptographicOperations.ZeroMemory(enc);
            CryptographicOperations.ZeroMemory(mac);
            CryptographicOperations.ZeroMemory(dek);
            throw;
        }

        return new CardKeySet(kvn, scp, option, enc, mac, dek);
    }

    private static byte[] ReadKey(JsonElement keys, string name, string path, int min, int max)
    {
        var key = ReadHex(keys, name, path, min, max);
        if (key.Length is not (16 or 24 or 32))
        {
            Array.Clear(key);
            throw CardProfileException.For(path, "expected a key of 16, 24 or 32 bytes");
        }

        return key;
    }

    private static string ReadString(JsonElement element, string name, string path)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw CardProfileException.For(path, "expected a string");
        }

        return value.GetString()!;
    }

    private static byte[] ReadHex(JsonElement element, string name, string path, int min, int max)
    {
        var text = ReadString(element, name, path);
        byte[] bytes;
        try
        {
            bytes = Hex.Parse(text, path);
        }
        catch (CryptoInputException e)
        {
            throw CardProfileException.For(path, e.Reason);
        }

        if (bytes.Length < min || bytes.Length > max)
        {
            var found = bytes.Length;
            Array.Clear(bytes);
            var expected = min == max
                ? min.ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{min} to {max}");
            throw CardProfileException.For(path, $"expected {expected} bytes of hex, found {found} bytes");
        }

        return bytes;
    }
}
