using System.Globalization;
using System.Text.Json;

namespace Ttp.Domain.Audit;

/// <summary>
/// A record line of the verifiable export, read strictly: <c>sequence</c>, <c>occurred_at</c>, <c>stream</c>,
/// <c>action</c>, <c>actor</c>, <c>subject</c>, <c>outcome</c>, <c>details</c> (the stored text, as a string) and
/// <c>hash</c>, each once, and optionally <c>match</c> (<c>true</c>: the record matches the filter of an export of a
/// filter; outside the hash), nothing else.
/// </summary>
internal static class AuditExportRecord
{
    private static readonly string[] Members = ["sequence", "occurred_at", "stream", "action", "actor", "subject", "outcome", "details", "hash", "match"];

    /// <summary>The record of a line's JSON object.</summary>
    /// <exception cref="FormatException">A member is missing, repeated, unknown or not in its form; the message names it.</exception>
    public static AuditEvent Parse(JsonElement line) => Parse(line, out _);

    /// <summary>The record of a line's JSON object, and whether it is marked <c>"match":true</c>.</summary>
    /// <exception cref="FormatException">A member is missing, repeated, unknown or not in its form; the message names it.</exception>
    public static AuditEvent Parse(JsonElement line, out bool match)
    {
        var seen = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in line.EnumerateObject())
        {
            if (Array.IndexOf(Members, member.Name) < 0 || !seen.TryAdd(member.Name, member.Value))
            {
                throw new FormatException($"unexpected or repeated member '{member.Name}'");
            }
        }

        if (!seen.TryGetValue("sequence", out var sequence) || sequence.ValueKind != JsonValueKind.Number || !sequence.TryGetInt64(out var number) || number < 1)
        {
            throw new FormatException("sequence: expected a positive integer");
        }

        if (!DateTime.TryParseExact(Text(seen, "occurred_at"), AuditCheckpoint.TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var occurredAt))
        {
            throw new FormatException("occurred_at: expected yyyy-MM-ddTHH:mm:ss.ffffffZ");
        }

        var streamName = Text(seen, "stream");
        if (!Enum.TryParse<AuditStream>(streamName, out var stream) || !Enum.IsDefined(stream) || stream.ToString() != streamName)
        {
            throw new FormatException("stream: expected StaffAction or KeyRequest");
        }

        match = false;
        if (seen.TryGetValue("match", out var mark))
        {
            match = mark.ValueKind == JsonValueKind.True
                ? true
                : throw new FormatException("match: expected true (records that do not match carry no mark)");
        }

        var hash = Text(seen, "hash");
        if (hash.Length != AuditHash.Size * 2 || !hash.All(c => char.IsAsciiDigit(c) || char.IsAsciiHexDigitLower(c)))
        {
            throw new FormatException($"hash: expected {AuditHash.Size * 2} lower-case hex digits");
        }

        return new AuditEvent
        {
            Sequence = number,
            OccurredAt = new DateTimeOffset(occurredAt, TimeSpan.Zero),
            Stream = stream,
            Action = Text(seen, "action"),
            Actor = Text(seen, "actor"),
            Subject = Text(seen, "subject"),
            Outcome = Text(seen, "outcome"),
            Details = seen.TryGetValue("details", out var details) && details.ValueKind == JsonValueKind.String
                ? details.GetString()!
                : throw new FormatException("details: expected the stored text as a JSON string (an export of ttpctl audit export)"),
            Hash = Convert.FromHexString(hash),
        };
    }

    private static string Text(Dictionary<string, JsonElement> members, string name) =>
        members.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"{name}: expected a string");
}
