using System.Globalization;
using System.Text.Json;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Alerts;

/// <summary>A key-request record as the alert rules read it (from a record whose hash was checked).</summary>
internal sealed record KeyRequestFact(long Sequence, DateTimeOffset At, string? Tsm, string? Iin, string? Kdd, string Outcome);

/// <summary>
/// What one scan found among the new records: key requests, integrity findings, records that failed their check, and
/// summaries of refusals beyond a TSM's rate (<see cref="AuditRecord.RefusalsSummarisedAction"/>: not key requests; a
/// fault code counted at least <paramref name="faultCount"/> times in one summary raises the repeated-faults alert of
/// that TSM and code).
/// </summary>
internal sealed class ScannedRecords(int faultCount = int.MaxValue)
{
    /// <summary>The staff action of a finished verification of the audit chain (a non-ok outcome raises an alert).</summary>
    public const string VerificationFinishedAction = "audit.verification-finished";

    public List<KeyRequestFact> KeyRequests { get; } = [];

    public List<AlertFinding> Findings { get; } = [];

    /// <summary>Sorts one checked record: a key request, an integrity failure, or nothing of interest.</summary>
    public void Add(AuditEvent record)
    {
        if (record.Action == AuditRecord.KeyRequestAction)
        {
            KeyRequests.Add(ReadKeyRequest(record));
        }
        else if (record.Action == AuditRecord.RefusalsSummarisedAction)
        {
            AddSummary(record);
        }
        else if (record.Outcome != AuditRecord.OutcomeOk
            && (record.Action.StartsWith("integrity.", StringComparison.Ordinal) || record.Action == VerificationFinishedAction))
        {
            var reason = Text(record.Details, "reason") ?? Text(record.Details, "problem");
            var what = record.Action == VerificationFinishedAction ? "verification of the audit chain failed" : record.Action;
            Findings.Add(new AlertFinding(
                AlertKind.IntegrityFailure, AlertFinding.KeyOf($"integrity:{record.Action}:{record.Subject}"), Clip(record.Subject.Length == 0 ? "audit" : record.Subject),
                $"{what}: {record.Subject} ({record.Outcome}){(reason is null ? string.Empty : ": " + reason)}",
                AuditRecord.SerializeDetails(new { record.Action, record.Subject, record.Outcome, Reason = reason, record.Sequence }),
                record.OccurredAt, record.OccurredAt, 1, [record.Sequence]));
        }
    }

    /// <summary>A record that does not match its hash or MAC, or is missing: never read, raised as an integrity failure.</summary>
    public void AddBroken(long sequence, DateTimeOffset seen, string problem) => Findings.Add(Broken(sequence, seen, problem));

    public static AlertFinding Broken(long sequence, DateTimeOffset seen, string problem)
    {
        var subject = "audit:" + sequence.ToString(CultureInfo.InvariantCulture);
        return new AlertFinding(AlertKind.IntegrityFailure, "integrity:chain:" + sequence.ToString(CultureInfo.InvariantCulture), subject,
            "audit chain: " + problem, AuditRecord.SerializeDetails(new { Sequence = sequence, Problem = problem }), seen, seen, 1, [sequence]);
    }

    // A summary's codes, each counted at least faultCount times, as repeated-faults findings (the key of AlertRules).
    private void AddSummary(AuditEvent record)
    {
        var tsm = Text(record.Details, "tsm");
        if (tsm is null)
        {
            return;
        }

        foreach (var (code, count) in Counts(record.Details, "codes"))
        {
            if (count < faultCount)
            {
                continue;
            }

            Findings.Add(new AlertFinding(
                AlertKind.RepeatedFaults, AlertRules.FaultKey(tsm, code), "tsm:" + tsm,
                string.Create(CultureInfo.InvariantCulture, $"TSM {tsm}: {count} key requests refused with {code} beyond its rate limit (summary of {record.OccurredAt:yyyy-MM-dd HH:mm:ss} UTC)"),
                AuditRecord.SerializeDetails(new { Tsm = tsm, Outcome = code, Count = count, BeyondRate = true, record.Sequence }),
                record.OccurredAt, record.OccurredAt, count, [record.Sequence]));
        }
    }

    // The integer members of the object `name` (a summary's count per code); none when absent or not of that shape.
    private static List<(string Name, long Count)> Counts(string json, string name)
    {
        var counts = new List<(string, long)>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in value.EnumerateObject())
                {
                    if (member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetInt64(out var count) && member.Name.Length > 0)
                    {
                        counts.Add((member.Name, count));
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: nothing counted.
        }

        return counts;
    }

    private static KeyRequestFact ReadKeyRequest(AuditEvent record)
    {
        var fields = Texts(record.Details, "tsm", "iin", "kdd");
        return new(record.Sequence, record.OccurredAt, fields[0], fields[1], fields[2], record.Outcome);
    }

    private static string? Text(string json, string name) => Texts(json, name)[0];

    // Checked records hold the product's JSON; a record that is not (written by an older release) reads as having no field.
    private static string?[] Texts(string json, params string[] names)
    {
        var values = new string?[names.Length];
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return values;
            }

            for (var i = 0; i < names.Length; i++)
            {
                if (document.RootElement.TryGetProperty(names[i], out var value) && value.ValueKind == JsonValueKind.String)
                {
                    values[i] = value.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: no field.
        }

        return values;
    }

    private static string Clip(string text) => text.Length <= AuditAlert.MaxKeyLength ? text : text[..AuditAlert.MaxKeyLength];
}
