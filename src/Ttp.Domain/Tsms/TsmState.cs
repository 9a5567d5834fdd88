namespace Ttp.Domain.Tsms;

/// <summary>Accreditation state of a TSM.</summary>
public enum TsmState
{
    /// <summary>Registered by one operator; waits for a second operator's approval. Receives no keys.</summary>
    PendingApproval = 0,

    /// <summary>Approved: may request keys within its scope.</summary>
    Active = 1,

    /// <summary>Rejected at approval; final.</summary>
    Rejected = 2,

    /// <summary>Temporarily barred from requesting keys; may be reinstated.</summary>
    Suspended = 3,

    /// <summary>Accreditation withdrawn; final.</summary>
    Revoked = 4,
}
