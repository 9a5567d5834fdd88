namespace Ttp.Domain.Audit;

/// <summary>What one append did: the head it continued, the sequence of its first record, and the new head.</summary>
/// <param name="Previous">The head before the append.</param>
/// <param name="First">The sequence of the first record appended.</param>
/// <param name="Head">The last record appended, now the head.</param>
internal readonly record struct AuditAppendResult(AuditChainPosition Previous, long First, AuditChainPosition Head);
