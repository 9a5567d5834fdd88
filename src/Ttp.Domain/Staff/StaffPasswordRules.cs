using System.Globalization;
using Microsoft.AspNetCore.Identity;

namespace Ttp.Domain.Staff;

/// <summary>
/// The password rules of staff accounts as people read them, from the one place they are set (Identity's
/// <see cref="PasswordOptions"/>, configured in <see cref="DomainServiceCollectionExtensions"/>): stated up front on every
/// form that sets a password, and the same words when Identity's validator refuses one (<see cref="StaffPasswordErrors"/>).
/// </summary>
public static class StaffPasswordRules
{
    /// <summary>The rules in one sentence, e.g. "At least 12 characters, with a lowercase letter, an uppercase letter, a digit and a symbol."</summary>
    public static string Describe(PasswordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var needs = new List<string>();
        if (options.RequireLowercase)
        {
            needs.Add("a lowercase letter");
        }

        if (options.RequireUppercase)
        {
            needs.Add("an uppercase letter");
        }

        if (options.RequireDigit)
        {
            needs.Add("a digit");
        }

        if (options.RequireNonAlphanumeric)
        {
            needs.Add("a symbol (neither letter nor digit)");
        }

        if (options.RequiredUniqueChars > 1)
        {
            needs.Add(string.Create(CultureInfo.InvariantCulture, $"{options.RequiredUniqueChars} different characters"));
        }

        var length = string.Create(CultureInfo.InvariantCulture, $"At least {options.RequiredLength} characters");
        return needs.Count switch
        {
            0 => length + ".",
            1 => $"{length}, with {needs[0]}.",
            _ => $"{length}, with {string.Join(", ", needs[..^1])} and {needs[^1]}.",
        };
    }
}

/// <summary>Identity's password refusals in the words of <see cref="StaffPasswordRules"/>: one short sentence each.</summary>
public sealed class StaffPasswordErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = string.Create(CultureInfo.InvariantCulture, $"Use at least {length} characters.") };

    public override IdentityError PasswordRequiresLower() =>
        new() { Code = nameof(PasswordRequiresLower), Description = "Add a lowercase letter." };

    public override IdentityError PasswordRequiresUpper() =>
        new() { Code = nameof(PasswordRequiresUpper), Description = "Add an uppercase letter." };

    public override IdentityError PasswordRequiresDigit() =>
        new() { Code = nameof(PasswordRequiresDigit), Description = "Add a digit." };

    public override IdentityError PasswordRequiresNonAlphanumeric() =>
        new() { Code = nameof(PasswordRequiresNonAlphanumeric), Description = "Add a symbol (neither letter nor digit)." };

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        new() { Code = nameof(PasswordRequiresUniqueChars), Description = string.Create(CultureInfo.InvariantCulture, $"Use at least {uniqueChars} different characters.") };
}
