using Ttp.Domain.Staff;

namespace Ttp.Portal.Staff;

/// <summary>Staff roles in words ("Security officer", not <c>SecurityOfficer</c>) wherever the portal shows them.</summary>
public static class RoleDisplay
{
    /// <summary>A role in words; a name the portal does not know is split at its capitals ("NewRole": "New role").</summary>
    public static string Text(string role) => role switch
    {
        StaffRoles.Administrator => "Administrator",
        StaffRoles.Operator => "Operator",
        StaffRoles.SecurityOfficer => "Security officer",
        StaffRoles.KeyCustodian => "Key custodian",
        StaffRoles.Auditor => "Auditor",
        null => throw new ArgumentNullException(nameof(role)),
        _ => string.Concat(role.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString())),
    };

    /// <summary>Several roles in words, comma-separated, in the order given.</summary>
    public static string List(IEnumerable<string> roles) => string.Join(", ", roles.Select(Text));
}
