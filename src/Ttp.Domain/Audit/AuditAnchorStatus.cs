using System.Globalization;

namespace Ttp.Domain.Audit;

/// <summary>How the end of the audit chain stands against the latest signed checkpoint (a quick check, not a verification).</summary>
public enum AuditAnchorState
{
    /// <summary>The latest checkpoint covers the last record.</summary>
    Covered,

    /// <summary>Records were committed since the latest checkpoint; the next one covers them (normal for a few seconds).</summary>
    Pending,

    /// <summary>The chain ends before the latest checkpoint: records were removed (an integrity failure).</summary>
    BehindCheckpoint,

    /// <summary>The latest checkpoint is unreadable or not signed by the audit signing key (an integrity failure).</summary>
    CheckpointInvalid,

    /// <summary>No checkpoint exists yet (a new installation before its first record).</summary>
    NoCheckpoint,
}

/// <summary>
/// The chain's last record against the latest checkpoint of the anchors file, read without walking the chain: what the
/// portal shows at a glance. Only a verification (<see cref="AuditTrailVerifier.VerifyAsync(CancellationToken)"/>) proves the records.
/// </summary>
/// <param name="State">How they stand.</param>
/// <param name="LastSequence">The last record's sequence in the database (0 when none).</param>
/// <param name="Checkpoint">The latest checkpoint's sequence; null without a readable one.</param>
/// <param name="CheckpointTime">When it was signed; null without one.</param>
/// <param name="Text">One line for a human, naming the gap when there is one.</param>
public sealed record AuditAnchorStatus(AuditAnchorState State, long LastSequence, long? Checkpoint, DateTimeOffset? CheckpointTime, string Text)
{
    /// <summary>True for the states that mean the trail was tampered with.</summary>
    public bool IsIntegrityFailure => State is AuditAnchorState.BehindCheckpoint or AuditAnchorState.CheckpointInvalid;

    internal static AuditAnchorStatus Of(long last, AuditCheckpoint? latest, AuditPublicKey publicKey)
    {
        if (latest is null)
        {
            return last == 0
                ? new(AuditAnchorState.NoCheckpoint, 0, null, null, "The trail is empty and has no checkpoint yet.")
                : new(AuditAnchorState.CheckpointInvalid, last, null, null, string.Create(CultureInfo.InvariantCulture,
                    $"No checkpoint, but the chain has {last:N0} records: the anchors file was removed or emptied."));
        }

        if (!latest.IsSignedBy(publicKey))
        {
            return new(AuditAnchorState.CheckpointInvalid, last, latest.Sequence, latest.Time,
                $"The {latest} is not signed by the audit signing key: the anchors file was altered or replaced.");
        }

        if (last < latest.Sequence)
        {
            return new(AuditAnchorState.BehindCheckpoint, last, latest.Sequence, latest.Time, AuditVerifier.BehindCheckpoint(latest, last));
        }

        return last == latest.Sequence
            ? new(AuditAnchorState.Covered, last, latest.Sequence, latest.Time, $"The {latest} covers the last record.")
            : new(AuditAnchorState.Pending, last, latest.Sequence, latest.Time, string.Create(CultureInfo.InvariantCulture,
                $"{last - latest.Sequence:N0} records since the {latest} (chain ends at {last:N0}); the next checkpoint covers them."));
    }
}
