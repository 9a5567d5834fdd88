using System.Globalization;

namespace Ttp.Domain.Audit;

/// <summary>
/// One verification of the whole audit trail run in the background (<see cref="AuditVerificationJob"/>); the
/// <see cref="AuditVerificationState.Running"/> row is the installation's lease: one at a time, across the portal nodes
/// that share the database. Holds counts, sequences and the verifier's problem text: never a key or a record's content.
/// </summary>
public sealed class AuditVerification
{
    private AuditVerification()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Who started it (<see cref="Actor.Id"/>, e.g. <c>user:alice@ttp.example</c>).</summary>
    public string StartedBy { get; private set; } = string.Empty;

    public DateTimeOffset StartedAt { get; private set; }

    public AuditVerificationState State { get; private set; }

    /// <summary>Records verified so far (written every half second or so while running; final when finished).</summary>
    public long RecordsChecked { get; private set; }

    /// <summary>The chain's length when it started (the verification covers at least these).</summary>
    public long TotalRecords { get; private set; }

    /// <summary>Signed checkpoints verified; null until finished.</summary>
    public int? CheckpointsChecked { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The first broken record (changed, missing, duplicated) when <see cref="AuditVerificationState.Failed"/>.</summary>
    public long? FirstBrokenSequence { get; private set; }

    /// <summary>Why it failed (<see cref="AuditBreakReason"/> name, or <c>error</c>) or was abandoned (<c>abandoned</c>).</summary>
    public string? Outcome { get; private set; }

    /// <summary>One line for a human: the verifier's problem, or why it was abandoned.</summary>
    public string? Problem { get; private set; }

    /// <summary>When the running node last wrote its progress; a Running row older than the lease's staleness is taken over.</summary>
    public DateTimeOffset HeartbeatAt { get; private set; }

    /// <summary>Records verified per second so far (0 before the first progress).</summary>
    public double RatePerSecond
    {
        get
        {
            var seconds = ((FinishedAt ?? HeartbeatAt) - StartedAt).TotalSeconds;
            return seconds > 0 ? RecordsChecked / seconds : 0;
        }
    }

    /// <summary>Estimated time left at the current rate; null before the first progress or once finished.</summary>
    public TimeSpan? TimeLeft => State == AuditVerificationState.Running && RatePerSecond > 0
        ? TimeSpan.FromSeconds(Math.Max(0, TotalRecords - RecordsChecked) / RatePerSecond)
        : null;

    /// <summary>How long it ran (to its end, or to its last progress while running).</summary>
    public TimeSpan Duration => (FinishedAt ?? HeartbeatAt) - StartedAt;

    /// <summary>Whether a Running row's node has stopped writing progress for longer than <paramref name="staleAfter"/>.</summary>
    public bool IsStale(DateTimeOffset now, TimeSpan staleAfter) => State == AuditVerificationState.Running && now - HeartbeatAt > staleAfter;

    /// <summary>"user:alice@ttp.example at 2026-12-06 19:30:00 UTC".</summary>
    public string StartedText => string.Create(CultureInfo.InvariantCulture, $"{StartedBy} at {StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");

    internal static AuditVerification Start(Guid id, string startedBy, DateTimeOffset now, long totalRecords) => new()
    {
        Id = id,
        StartedBy = startedBy,
        StartedAt = now,
        HeartbeatAt = now,
        State = AuditVerificationState.Running,
        TotalRecords = totalRecords,
    };

    internal void Finish(AuditVerificationResult result, DateTimeOffset now)
    {
        State = result.IsValid ? AuditVerificationState.Passed : AuditVerificationState.Failed;
        RecordsChecked = result.RecordCount;
        CheckpointsChecked = result.Checkpoints;
        FirstBrokenSequence = result.FirstBrokenSequence;
        Outcome = result.IsValid ? AuditRecord.OutcomeOk : result.Reason.ToString();
        Problem = Limit(result.Problem);
        FinishedAt = now;
        HeartbeatAt = now;
    }

    internal void Fail(string problem, DateTimeOffset now)
    {
        State = AuditVerificationState.Failed;
        Outcome = "error";
        Problem = Limit(problem);
        FinishedAt = now;
        HeartbeatAt = now;
    }

    internal void Abandon(string problem, DateTimeOffset now, long? recordsChecked = null)
    {
        State = AuditVerificationState.Abandoned;
        Outcome = "abandoned";
        Problem = Limit(problem);
        RecordsChecked = recordsChecked ?? RecordsChecked;
        FinishedAt = now;
    }

    /// <summary>The problem text cut to what the column holds (1,000 characters).</summary>
    private static string? Limit(string? text) => text is null || text.Length <= 1000 ? text : text[..999] + "…";
}
