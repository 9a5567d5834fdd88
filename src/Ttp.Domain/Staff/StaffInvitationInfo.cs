namespace Ttp.Domain.Staff;

/// <summary>A staff invitation as pages and the command line show it (no token, no token hash).</summary>
/// <param name="Id">The invitation's id (to revoke it).</param>
/// <param name="Email">The invitee's address.</param>
/// <param name="Roles">The roles the account will get, sorted.</param>
/// <param name="InvitedBy">Who invited (an actor id).</param>
/// <param name="InvitedAt">When.</param>
/// <param name="ExpiresAt">When the link stops working.</param>
/// <param name="FailsIntegrity">Whether the stored row fails its MAC (changed outside the product): it cannot be used.</param>
public sealed record StaffInvitationInfo(
    Guid Id, string Email, IReadOnlyList<string> Roles, string InvitedBy, DateTimeOffset InvitedAt, DateTimeOffset ExpiresAt, bool FailsIntegrity = false);
