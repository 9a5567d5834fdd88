namespace Ttp.Domain.Integrity;

/// <summary>
/// A row that decides who gets which key (a TSM's state and rate limit, a pinned certificate, a scope entry) or who gets
/// a staff role (an invitation, <see cref="Staff.StaffInvitation"/>), carrying a MAC under the access-record key over
/// <see cref="CanonicalForm"/>. The canonical form holds the row's own id and its TSM's id (an invitation: its token hash
/// and address), so a row copied onto another TSM, or re-pointed, fails as surely as a changed value.
/// </summary>
internal interface IAuthenticatedRecord
{
    /// <summary>HMAC-SHA256 of <see cref="CanonicalForm"/> under the access-record key; null on a row never authenticated.</summary>
    byte[]? RecordMac { get; }

    /// <summary>What the MAC covers: kind, ids and every deciding value, invariant, times in Unix microseconds.</summary>
    string CanonicalForm();

    /// <summary>The TSM the row belongs to (its own id for a TSM; <see cref="Guid.Empty"/> for a staff invitation).</summary>
    Guid OwningTsmId { get; }

    /// <summary>Names the row in messages and audit records (no secret).</summary>
    string Describe();

    /// <summary>Stores the MAC computed by <see cref="RecordAuthenticator"/>.</summary>
    void SetRecordMac(byte[] mac);
}
