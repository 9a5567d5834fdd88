using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Ttp.Domain.Staff;

/// <summary>
/// The staff password policy in words, read from Identity's options (the rules Identity enforces, set once in
/// <see cref="DomainServiceCollectionExtensions"/>): stated up front on every page that asks for a new password, and
/// what is missing from a password refused, in sentence case. A singleton.
/// </summary>
public sealed class PasswordRules(IOptions<IdentityOptions> options)
{
    private const string Symbol = "a symbol (a character that is neither a letter nor a digit, such as - or !)";

    private PasswordOptions Password => options.Value.Password;

    /// <summary>The shortest password allowed.</summary>
    public int MinimumLength => Password.RequiredLength;

    /// <summary>The rules in one sentence, e.g. "At least 12 characters, with a lower-case letter, an upper-case letter, a digit and a symbol."</summary>
    public string Description
    {
        get
        {
            var parts = Required().ToList();
            return parts.Count == 0
                ? $"At least {MinimumLength} characters."
                : $"At least {MinimumLength} characters, with {Join(parts)}.";
        }
    }

    /// <summary>What <paramref name="password"/> lacks, as one sentence; null when it meets every rule.</summary>
    public string? Problem(string? password)
    {
        password ??= string.Empty;
        var missing = new List<string>();
        if (password.Length < MinimumLength)
        {
            missing.Add($"at least {MinimumLength} characters (it has {password.Length})");
        }

        if (Password.RequireLowercase && !password.Any(char.IsAsciiLetterLower))
        {
            missing.Add("a lower-case letter");
        }

        if (Password.RequireUppercase && !password.Any(char.IsAsciiLetterUpper))
        {
            missing.Add("an upper-case letter");
        }

        if (Password.RequireDigit && !password.Any(char.IsAsciiDigit))
        {
            missing.Add("a digit");
        }

        if (Password.RequireNonAlphanumeric && password.All(char.IsAsciiLetterOrDigit))
        {
            missing.Add(Symbol);
        }

        if (Password.RequiredUniqueChars > 1 && password.Distinct().Count() < Password.RequiredUniqueChars)
        {
            missing.Add($"at least {Password.RequiredUniqueChars} different characters");
        }

        return missing.Count == 0 ? null : $"The password needs {Join(missing)}.";
    }

    /// <summary>Identity's refusals of a password (<paramref name="errors"/>) as one sentence about <paramref name="password"/>.</summary>
    public string Explain(string? password, IEnumerable<IdentityError> errors) =>
        Problem(password) ?? string.Join(" ", errors.Select(e => e.Description));

    private IEnumerable<string> Required()
    {
        if (Password.RequireLowercase)
        {
            yield return "a lower-case letter";
        }

        if (Password.RequireUppercase)
        {
            yield return "an upper-case letter";
        }

        if (Password.RequireDigit)
        {
            yield return "a digit";
        }

        if (Password.RequireNonAlphanumeric)
        {
            yield return Symbol;
        }
    }

    private static string Join(List<string> parts) =>
        parts.Count == 1 ? parts[0] : string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];
}
