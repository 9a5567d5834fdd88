using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ttp.Domain.Audit;

/// <summary>
/// The JSON form of an <see cref="AuditCheckpoint"/>, one object on one line:
/// <c>{"version":1,"sequence":N,"chain_hash":"hex","time":"...Z","previous":"hex","hmac_through":N,"key_id":"hex","signature":"hex"}</c>
/// (hex lower-case; the signature is the DER encoding). Read strictly: every member present once, no other member, each
/// in its canonical form, so that the payload rebuilt from the JSON is the one that was signed.
/// </summary>
public static class AuditCheckpointJson
{
    private const int FormatVersion = 1;
    private const int MaxSignatureBytes = 80;

    private static readonly string[] Members = ["version", "sequence", "chain_hash", "time", "previous", "hmac_through", "key_id", "signature"];

    /// <summary>Writes the checkpoint as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(checkpoint);
        writer.WriteStartObject();
        writer.WriteNumber("version", FormatVersion);
        writer.WriteNumber("sequence", checkpoint.Sequence);
        writer.WriteString("chain_hash", Convert.ToHexStringLower(checkpoint.ChainHash));
        writer.WriteString("time", checkpoint.TimeText);
        writer.WriteString("previous", Convert.ToHexStringLower(checkpoint.Previous));
        writer.WriteNumber("hmac_through", checkpoint.HmacThrough);
        writer.WriteString("key_id", checkpoint.KeyId);
        writer.WriteString("signature", Convert.ToHexStringLower(checkpoint.Signature));
        writer.WriteEndObject();
    }

    /// <summary>The checkpoint as one line of JSON, without a line end.</summary>
    public static string ToLine(AuditCheckpoint checkpoint)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, checkpoint);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads one line of JSON.</summary>
    /// <exception cref="FormatException">Not a checkpoint in its canonical form; the message names the member.</exception>
    public static AuditCheckpoint ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            using var document = JsonDocument.Parse(line);
            return Parse(document.RootElement);
        }
        catch (JsonException)
        {
            throw new FormatException("not a JSON object");
        }
    }

    /// <summary>Reads a checkpoint object.</summary>
    /// <exception cref="FormatException">Not a checkpoint in its canonical form; the message names the member.</exception>
    public static AuditCheckpoint Parse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a checkpoint is a JSON object");
        }

        var seen = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            if (Array.IndexOf(Members, member.Name) < 0 || !seen.TryAdd(member.Name, member.Value))
            {
                throw new FormatException($"unexpected or repeated member '{member.Name}'");
            }
        }

        if (Integer(seen, "version") != FormatVersion)
        {
            throw new FormatException($"version: only {FormatVersion} is known");
        }

        var time = Text(seen, "time");
        if (!DateTime.TryParseExact(time, AuditCheckpoint.TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var instant))
        {
            throw new FormatException("time: expected yyyy-MM-ddTHH:mm:ss.ffffffZ");
        }

        var signature = Hex(seen, "signature", null);
        if (signature.Length is 0 or > MaxSignatureBytes)
        {
            throw new FormatException("signature: expected a DER-encoded ECDSA signature");
        }

        return new AuditCheckpoint(
            Integer(seen, "sequence"),
            Hex(seen, "chain_hash", AuditHash.Size),
            new DateTimeOffset(instant, TimeSpan.Zero),
            Hex(seen, "previous", AuditHash.Size),
            Integer(seen, "hmac_through"),
            Convert.ToHexStringLower(Hex(seen, "key_id", AuditHash.Size)),
            signature);
    }

    private static long Integer(Dictionary<string, JsonElement> members, string name) =>
        members.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0
            ? number
            : throw new FormatException($"{name}: expected a non-negative integer");

    private static string Text(Dictionary<string, JsonElement> members, string name) =>
        members.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"{name}: expected a string");

    private static byte[] Hex(Dictionary<string, JsonElement> members, string name, int? length)
    {
        var text = Text(members, name);
        var valid = text.Length % 2 == 0 && text.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));
        if (!valid || (length is { } expected && text.Length != expected * 2))
        {
            throw new FormatException(length is { } bytes
                ? $"{name}: expected {bytes * 2} lower-case hex digits"
                : $"{name}: expected lower-case hex digits");
        }

        return Convert.FromHexString(text);
    }
}
