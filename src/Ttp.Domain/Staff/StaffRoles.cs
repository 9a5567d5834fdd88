namespace Ttp.Domain.Staff;

/// <summary>The staff roles (docs/DESIGN.md section 1); also the names of the authorization policies.</summary>
public static class StaffRoles
{
    public const string Administrator = nameof(Administrator);
    public const string Operator = nameof(Operator);
    public const string SecurityOfficer = nameof(SecurityOfficer);
    public const string KeyCustodian = nameof(KeyCustodian);
    public const string Auditor = nameof(Auditor);

    /// <summary>Every role.</summary>
    public static IReadOnlyList<string> All { get; } = [Administrator, Operator, SecurityOfficer, KeyCustodian, Auditor];

    /// <summary>The role's canonical name, or null when <paramref name="name"/> is no role (case-insensitive).</summary>
    public static string? Find(string name) => All.FirstOrDefault(r => string.Equals(r, name, StringComparison.OrdinalIgnoreCase));
}
