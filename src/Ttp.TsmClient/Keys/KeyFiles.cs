using System.Security.Cryptography;
using System.Text.Json;
using Ttp.Crypto;

namespace Ttp.TsmClient.Keys;

/// <summary>
/// Reads the TSM's own key files: the KEK (<c>{"algorithm","key"}</c>) and the key set the card is rotated to
/// (<c>{"kvn","keys":{"enc","mac","dek"}}</c>), hex strings (docs/TSM-CLIENT.md). Errors name the file and the field,
/// never a value; they are exit 2.
/// </summary>
internal static class KeyFiles
{
    /// <summary>Reads the KEK file.</summary>
    public static TsmKek ReadKek(string path)
    {
        using var document = Open(path, "--kek-file");
        var root = document.RootElement;
        var algorithm = Text(root, "algorithm", "--kek-file");
        var expected = algorithm switch
        {
            "tdes2" => 16,
            "tdes3" => 24,
            "aes128" => 16,
            "aes192" => 24,
            "aes256" => 32,
            _ => throw Bad("--kek-file", "algorithm", "expected tdes2, tdes3, aes128, aes192 or aes256"),
        };
        var key = Key(root, "key", "--kek-file");
        if (key.Length != expected)
        {
            CryptographicOperations.ZeroMemory(key);
            throw Bad("--kek-file", "key", $"expected {expected} bytes for {algorithm}, found another length");
        }

        return new TsmKek(algorithm.StartsWith("aes", StringComparison.Ordinal), key);
    }

    /// <summary>Reads the new key set, checked against the card's protocol (SCP02: 16-byte keys; SCP03: 16, 24 or 32).</summary>
    public static (byte KeyVersion, CardKeys Keys) ReadNewKeySet(string path, int scp)
    {
        const string option = "--new-keys";
        using var document = Open(path, option);
        var root = document.RootElement;
        var kvnText = Text(root, "kvn", option);
        if (!KeyVersion.TryParse(kvnText, out var kvn))
        {
            throw Bad(option, "kvn", KeyVersion.Expected);
        }

        if (!root.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Object)
        {
            throw Bad(option, "keys", "expected an object with enc, mac and dek");
        }

        byte[]? enc = null, mac = null, dek = null;
        try
        {
            enc = Key(keys, "enc", option, "keys.");
            mac = Key(keys, "mac", option, "keys.");
            dek = Key(keys, "dek", option, "keys.");
            var valid = scp == 2 ? enc.Length == 16 : enc.Length is 16 or 24 or 32;
            if (!valid || mac.Length != enc.Length || dek.Length != enc.Length)
            {
                throw Bad(option, "keys", scp == 2
                    ? "expected three 16-byte (2-key TDES) keys for an SCP02 card"
                    : "expected three AES keys of one length (16, 24 or 32 bytes) for an SCP03 card");
            }

            return (kvn, new CardKeys(enc, mac, dek));
        }
        catch
        {
            foreach (var key in new[] { enc, mac, dek })
            {
                if (key is not null)
                {
                    CryptographicOperations.ZeroMemory(key);
                }
            }

            throw;
        }
    }

    private static JsonDocument Open(string path, string option)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProvisionException("input", ExitCodes.BadInput, $"{option}: cannot read {path} ({e.GetType().Name})");
        }

        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ProvisionException("input", ExitCodes.BadInput, $"{option}: {path} is not valid JSON (line {e.LineNumber + 1})");
        }
    }

    private static string Text(JsonElement element, string name, string option, string prefix = "")
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw Bad(option, prefix + name, "missing or not a string");
        }

        return value.GetString()!;
    }

    private static byte[] Key(JsonElement element, string name, string option, string prefix = "")
    {
        try
        {
            return Hex.Parse(Text(element, name, option, prefix), prefix + name);
        }
        catch (CryptoInputException e)
        {
            throw Bad(option, prefix + name, e.Reason);
        }
    }

    private static ProvisionException Bad(string option, string field, string reason) =>
        new("input", ExitCodes.BadInput, $"{option}: {field}: {reason}");
}
