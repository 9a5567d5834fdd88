namespace Ttp.Domain.Staff;

/// <summary>
/// The rules of a staff account's fields as the services apply them, public so that a form checks a field with the same
/// function before sending it: each answers the value as stored or throws the <see cref="DomainInputException"/> that
/// names the field.
/// </summary>
public static class StaffFields
{
    /// <summary>The e-mail address, trimmed.</summary>
    public static string Email(string? email) => StaffRules.RequireEmail(email ?? string.Empty);

    /// <summary>The roles by their canonical names, at least one.</summary>
    public static IReadOnlyList<string> Roles(IReadOnlyCollection<string> roles) => StaffRules.CanonicalRoles(roles);
}
