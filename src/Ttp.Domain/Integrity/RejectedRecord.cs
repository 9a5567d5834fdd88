namespace Ttp.Domain.Integrity;

/// <summary>
/// An access record, issuer key set or KEK left out of the key-request directory because its MAC does not match (for
/// staff pages).
/// </summary>
/// <param name="TsmId">The TSM the record belongs to (<see cref="Guid.Empty"/> for an issuer key set).</param>
/// <param name="Description">Which record (names and ids, no secret).</param>
public sealed record RejectedRecord(Guid TsmId, string Description);
