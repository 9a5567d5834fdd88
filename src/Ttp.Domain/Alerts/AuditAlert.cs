namespace Ttp.Domain.Alerts;

/// <summary>
/// One alert computed from the audit trail by <see cref="AlertScanner"/>: a condition (named by <see cref="DedupeKey"/>),
/// when it was first and last seen, how often, and the records that raised it. At most one alert per key is open;
/// acknowledging it (<see cref="AlertService.AcknowledgeAsync"/>) is final. Holds ids, names and counts, never a secret.
/// </summary>
public sealed class AuditAlert
{
    /// <summary>Longest <see cref="DedupeKey"/> and <see cref="Subject"/>.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>Longest <see cref="Summary"/>.</summary>
    public const int MaxSummaryLength = 500;

    /// <summary>Longest <see cref="Note"/>.</summary>
    public const int MaxNoteLength = 500;

    /// <summary>How many record sequences an alert keeps (the first ones that raised it or recurred).</summary>
    public const int MaxSequences = 20;

    private AuditAlert()
    {
    }

    public Guid Id { get; private set; }

    public AlertKind Kind { get; private set; }

    /// <summary>The condition, e.g. <c>same-card:A0000001:0011...</c>, <c>rate:acme</c>: unique among open alerts.</summary>
    public string DedupeKey { get; private set; } = string.Empty;

    /// <summary>What it is about, e.g. <c>card:A0000001/0011...</c>, <c>tsm:acme</c>, <c>audit:1234</c>.</summary>
    public string Subject { get; private set; } = string.Empty;

    /// <summary>One line for people; no secret.</summary>
    public string Summary { get; private set; } = string.Empty;

    /// <summary>A compact JSON object with the figures of the latest occurrence (TSMs, counts, thresholds).</summary>
    public string Details { get; private set; } = "{}";

    /// <summary>When the first record that raised it happened.</summary>
    public DateTimeOffset FirstSeen { get; private set; }

    /// <summary>When the latest record that raised or recurred it happened.</summary>
    public DateTimeOffset LastSeen { get; private set; }

    /// <summary>How many occurrences (records, or scans finding the condition for a rate) it counts.</summary>
    public long Count { get; private set; }

    /// <summary>The audit sequences that raised it (at most <see cref="MaxSequences"/>, comma-separated).</summary>
    public string Sequences { get; private set; } = string.Empty;

    public AlertState State { get; private set; }

    /// <summary>Who acknowledged it (<see cref="Actor.Id"/>).</summary>
    public string? AcknowledgedBy { get; private set; }

    public DateTimeOffset? AcknowledgedAt { get; private set; }

    /// <summary>The acknowledger's optional note.</summary>
    public string? Note { get; private set; }

    /// <summary>The sequences as numbers.</summary>
    public IReadOnlyList<long> SequenceList =>
        Sequences.Length == 0 ? [] : [.. Sequences.Split(',').Select(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];

    internal static AuditAlert Raise(AlertFinding finding) => new()
    {
        Id = Guid.NewGuid(),
        Kind = finding.Kind,
        DedupeKey = finding.Key,
        Subject = finding.Subject,
        Summary = Clip(finding.Summary, MaxSummaryLength),
        Details = finding.Details,
        FirstSeen = finding.FirstSeen,
        LastSeen = finding.LastSeen,
        Count = finding.Count,
        Sequences = JoinSequences([], finding.Sequences),
        State = AlertState.Open,
    };

    /// <summary>The condition was found again: count, last seen, latest figures.</summary>
    internal void Recur(AlertFinding finding)
    {
        Count += finding.Count;
        if (finding.LastSeen > LastSeen)
        {
            LastSeen = finding.LastSeen;
        }

        Summary = Clip(finding.Summary, MaxSummaryLength);
        Details = finding.Details;
        Sequences = JoinSequences(SequenceList, finding.Sequences);
    }

    internal void Acknowledge(Actor actor, DateTimeOffset at, string? note)
    {
        if (State != AlertState.Open)
        {
            throw new RuleViolationException($"alert {Id:D} was already acknowledged by {AcknowledgedBy}");
        }

        State = AlertState.Acknowledged;
        AcknowledgedBy = actor.Id;
        AcknowledgedAt = at;
        Note = note;
    }

    private static string JoinSequences(IReadOnlyList<long> kept, IReadOnlyList<long> added) =>
        string.Join(',', kept.Concat(added.Where(s => !kept.Contains(s))).Take(MaxSequences)
            .Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
