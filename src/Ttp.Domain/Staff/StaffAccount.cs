namespace Ttp.Domain.Staff;

/// <summary>A staff member's own account: address, roles (canonical names), second factor, recovery codes left, whether a password change is due.</summary>
public sealed record StaffAccount(string Email, IReadOnlyList<string> Roles, bool TwoFactorEnabled, int RecoveryCodesLeft, bool PasswordChangeRequired);
