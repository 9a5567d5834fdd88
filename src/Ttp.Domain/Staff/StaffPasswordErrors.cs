using System.Globalization;
using Microsoft.AspNetCore.Identity;

namespace Ttp.Domain.Staff;

/// <summary>Identity's password refusals in the words of <see cref="PasswordRules"/>: one short sentence each.</summary>
public sealed class StaffPasswordErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = string.Create(CultureInfo.InvariantCulture, $"Use at least {length} characters.") };

    public override IdentityError PasswordRequiresLower() =>
        new() { Code = nameof(PasswordRequiresLower), Description = "Add a lower-case letter." };

    public override IdentityError PasswordRequiresUpper() =>
        new() { Code = nameof(PasswordRequiresUpper), Description = "Add an upper-case letter." };

    public override IdentityError PasswordRequiresDigit() =>
        new() { Code = nameof(PasswordRequiresDigit), Description = "Add a digit." };

    public override IdentityError PasswordRequiresNonAlphanumeric() =>
        new() { Code = nameof(PasswordRequiresNonAlphanumeric), Description = "Add a symbol (a character that is neither a letter nor a digit)." };

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        new() { Code = nameof(PasswordRequiresUniqueChars), Description = string.Create(CultureInfo.InvariantCulture, $"Use at least {uniqueChars} different characters.") };
}
