namespace Ttp.Domain.Audit;

/// <summary>
/// The outcome of <see cref="AuditVerifier"/>: intact, or the first broken record and why.
/// </summary>
public sealed class AuditVerificationResult
{
    private AuditVerificationResult(long recordCount, long lastSequence, long? firstBrokenSequence, AuditBreakReason reason, string? problem)
    {
        RecordCount = recordCount;
        LastSequence = lastSequence;
        FirstBrokenSequence = firstBrokenSequence;
        Reason = reason;
        Problem = problem;
    }

    /// <summary>True when every record verified, sequences run from 1 without gap, the head matches the last record and,
    /// when checked, every checkpoint verified and matches the chain, which reaches the latest one.</summary>
    public bool IsValid => Reason == AuditBreakReason.None;

    /// <summary>How many records verified before the first break (all of them when valid).</summary>
    public long RecordCount { get; }

    /// <summary>Sequence of the last record that verified (0 for an empty chain).</summary>
    public long LastSequence { get; }

    /// <summary>The sequence of the first broken record: changed, missing, duplicated, or the one the head disagrees
    /// about; null when valid.</summary>
    public long? FirstBrokenSequence { get; }

    /// <summary>Why the chain is broken; <see cref="AuditBreakReason.None"/> when valid.</summary>
    public AuditBreakReason Reason { get; }

    /// <summary>One line for a human, naming the record; null when valid.</summary>
    public string? Problem { get; }

    /// <summary>The last record chained with HMAC by the previous release (later ones: SHA-256).</summary>
    public long HmacThrough { get; private set; }

    /// <summary>How many checkpoints verified; null when the checkpoints were not checked (chain only).</summary>
    public int? Checkpoints { get; private set; }

    /// <summary>The sequence the latest verified checkpoint covers; null without one.</summary>
    public long? LatestCheckpoint { get; private set; }

    /// <summary>When the latest verified checkpoint was signed; null without one.</summary>
    public DateTimeOffset? LatestCheckpointTime { get; private set; }

    /// <summary>
    /// Records past the latest checkpoint (committed since; normal for a few seconds' worth, covered by the next
    /// checkpoint); null when the checkpoints were not checked.
    /// </summary>
    public long? UncoveredRecords { get; private set; }

    /// <summary>Throws <see cref="IntegrityException"/> (CLI exit 5) naming the first broken record, unless valid.</summary>
    public void ThrowIfBroken()
    {
        if (!IsValid)
        {
            throw new IntegrityException($"audit chain broken at record {FirstBrokenSequence}: {Problem}");
        }
    }

    /// <summary>Adds what the checkpoints showed.</summary>
    internal AuditVerificationResult WithAnchors(long hmacThrough, int? checkpoints, AuditCheckpoint? latest)
    {
        HmacThrough = hmacThrough;
        Checkpoints = checkpoints;
        LatestCheckpoint = latest?.Sequence;
        LatestCheckpointTime = latest?.Time;
        UncoveredRecords = checkpoints is null ? null : Math.Max(0, LastSequence - (latest?.Sequence ?? 0));
        return this;
    }

    internal static AuditVerificationResult Intact(long recordCount, long lastSequence) =>
        new(recordCount, lastSequence, null, AuditBreakReason.None, null);

    internal static AuditVerificationResult Broken(long recordCount, long lastSequence, long brokenSequence, AuditBreakReason reason, string problem) =>
        new(recordCount, lastSequence, brokenSequence, reason, problem);
}
