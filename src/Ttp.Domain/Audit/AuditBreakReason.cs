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
}
