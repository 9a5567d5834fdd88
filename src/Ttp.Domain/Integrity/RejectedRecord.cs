namespace Ttp.Domain.Integrity;

/// <summary>An access record left out of the key-request directory because its MAC does not match (for staff pages).</summary>
/// <param name="TsmId">The TSM the record belongs to.</param>
/// <param name="Description">Which record (names and ids, no secret).</param>
public sealed record RejectedRecord(Guid TsmId, string Description);
