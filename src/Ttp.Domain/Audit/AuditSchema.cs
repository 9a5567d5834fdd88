namespace Ttp.Domain.Audit;

/// <summary>
/// Table and column names of the audit chain, shared by the EF mapping and the plain SQL of <see cref="AuditLedger"/>.
/// </summary>
internal static class AuditSchema
{
    public const string EventsTable = "audit_events";
    public const string Sequence = "sequence";
    public const string OccurredAt = "occurred_at";
    public const string Stream = "stream";
    public const string Action = "action";
    public const string Actor = "actor";
    public const string Subject = "subject";
    public const string Outcome = "outcome";
    public const string Details = "details";
    public const string Hash = "hash";
    public const string Mac = "mac";

    public const string HeadTable = "audit_chain_head";
    public const string HeadId = "id";
    public const string HeadLastSequence = "last_sequence";
    public const string HeadLastHash = "last_hash";
    public const string HeadHmacThrough = "hmac_through";
}
