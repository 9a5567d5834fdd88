using System.Text.Json.Serialization;

namespace Ttp.Domain.Audit;

/// <summary>Why <see cref="AuditVerifier"/> found the chain broken at a record (written by name in JSON output).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditBreakReason>))]
public enum AuditBreakReason
{
    /// <summary>The chain is intact.</summary>
    None = 0,

    /// <summary>The record's stored hash is not the one recomputed from its fields and its predecessor: the record was
    /// changed (or its predecessor's hash was).</summary>
    HashMismatch = 1,

    /// <summary>The record with this sequence is missing (deleted, or renumbered).</summary>
    Gap = 2,

    /// <summary>A sequence appears twice or out of order.</summary>
    Duplicate = 3,

    /// <summary>The chain head does not match the last record: records were removed from the end or added past the
    /// head, or the head was changed.</summary>
    HeadMismatch = 4,

    /// <summary>A SHA-256-chained record lacks the MAC only the TTP can compute: it was written by someone else (the
    /// public chain alone can be extended by anyone), or its hash was changed.</summary>
    MacMismatch = 5,

    /// <summary>A record's hash differs from the one a signed checkpoint holds for its sequence: the records up to it were
    /// changed and the chain recomputed, or the trail was wiped and written again.</summary>
    CheckpointMismatch = 6,

    /// <summary>A signed checkpoint covers records past the end of the chain: records were removed from the end (a cut
    /// tail) or the whole trail was deleted.</summary>
    BehindCheckpoint = 7,

    /// <summary>A checkpoint is unreadable, not signed by the audit signing key, not linked to the one before it, or the
    /// checkpoints are missing while the trail is anchored.</summary>
    CheckpointInvalid = 8,
}
