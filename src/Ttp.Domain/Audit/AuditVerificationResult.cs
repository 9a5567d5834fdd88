namespace Ttp.Domain.Audit;

/// <summary>
/// The outcome of <see cref="AuditVerifier.VerifyAsync"/>: intact, or the first broken record and why.
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

    /// <summary>True when every record verified, sequences run from 1 without gap, and the head matches the last record.</summary>
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

    /// <summary>Throws <see cref="IntegrityException"/> (CLI exit 5) naming the first broken record, unless valid.</summary>
    public void ThrowIfBroken()
    {
        if (!IsValid)
        {
            throw new IntegrityException($"audit chain broken at record {FirstBrokenSequence}: {Problem}");
        }
    }

    internal static AuditVerificationResult Intact(long recordCount, long lastSequence) =>
        new(recordCount, lastSequence, null, AuditBreakReason.None, null);

    internal static AuditVerificationResult Broken(long recordCount, long lastSequence, long brokenSequence, AuditBreakReason reason, string problem) =>
        new(recordCount, lastSequence, brokenSequence, reason, problem);
}
