namespace Ttp.Domain.Staff;

/// <summary>A staff account as the administration page lists it (no password hash, no authenticator key).</summary>
/// <param name="Email">The sign-in name.</param>
/// <param name="Roles">The account's roles (<see cref="StaffRoles"/> names), sorted.</param>
/// <param name="TwoFactorEnabled">Whether an authenticator is enrolled.</param>
/// <param name="LockedOutUntil">The end of a lockout that is still running, or null.</param>
/// <param name="IsDisabled">Whether the account is disabled.</param>
public sealed record StaffMember(string Email, IReadOnlyList<string> Roles, bool TwoFactorEnabled, DateTimeOffset? LockedOutUntil, bool IsDisabled);
