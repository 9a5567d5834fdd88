namespace Ttp.Domain.Audit;

/// <summary>A point of the audit chain: a record's sequence and its chain hash (sequence 0: the genesis, 32 zero bytes).</summary>
/// <param name="Sequence">The record's sequence.</param>
/// <param name="Hash">Its chain hash (32 bytes).</param>
public readonly record struct AuditChainPosition(long Sequence, byte[] Hash);
