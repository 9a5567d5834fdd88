namespace Ttp.Domain.Audit;

/// <summary>
/// One record of the append-only audit chain. <see cref="Hash"/> is <c>SHA-256(previous hash || canonical record)</c>
/// (records up to <see cref="AuditChainHead.HmacThrough"/>, written by the previous release:
/// <c>HMAC-SHA256(audit key, previous hash || canonical record)</c>); changing any field, removing or reordering a
/// record breaks every following hash, and signed checkpoints outside the database (<see cref="AuditCheckpoint"/>) pin
/// the chain. Records hold no secret: key ids and check values only.
/// </summary>
public sealed class AuditEvent
{
    /// <summary>Position in the chain, from 1, without gaps.</summary>
    public long Sequence { get; set; }

    /// <summary>When it happened (UTC, microsecond precision so that every database stores it exactly).</summary>
    public DateTimeOffset OccurredAt { get; set; }

    public AuditStream Stream { get; set; }

    /// <summary>What happened, e.g. <c>tsm.approved</c>, <c>kek.imported</c>, <c>key-request</c>.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>Who did it (<see cref="Actor.Id"/>).</summary>
    public string Actor { get; set; } = string.Empty;

    /// <summary>What it was done to, e.g. <c>tsm:acme</c>, <c>issuer-key:A0000001/1</c>.</summary>
    public string Subject { get; set; } = string.Empty;

    /// <summary>Outcome: <c>ok</c> or a fault/refusal code.</summary>
    public string Outcome { get; set; } = "ok";

    /// <summary>Details as a compact JSON object (before/after, check values, request data); never a secret.</summary>
    public string Details { get; set; } = "{}";

    /// <summary>The chain hash (32 bytes): SHA-256, or for records of the previous release HMAC-SHA256, over the previous
    /// record's hash and this record's canonical form (<see cref="AuditHash"/>).</summary>
    public byte[] Hash { get; set; } = [];

    /// <summary>
    /// <c>HMAC-SHA256(audit key, Hash)</c> (32 bytes): proves that the TTP wrote the record, which the public SHA-256 chain
    /// alone cannot (anyone can extend it). Null for records of the previous release, whose hash is itself an HMAC.
    /// </summary>
    public byte[]? Mac { get; set; }
}
