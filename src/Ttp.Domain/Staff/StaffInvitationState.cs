namespace Ttp.Domain.Staff;

/// <summary>Where a staff invitation stands (expiry is a matter of time, not of state: see <see cref="StaffInvitation.ExpiresAt"/>).</summary>
public enum StaffInvitationState
{
    /// <summary>Issued; its enrolment link may be used once, until it expires.</summary>
    Pending = 0,

    /// <summary>The invitee set their password through the link: the account exists; the link is dead.</summary>
    Used = 1,

    /// <summary>Withdrawn by an Administrator, or replaced by a newer invitation to the same address; the link is dead.</summary>
    Revoked = 2,
}
