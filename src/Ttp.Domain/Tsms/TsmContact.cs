namespace Ttp.Domain.Tsms;

/// <summary>The contact person of a TSM; every part optional.</summary>
public sealed record TsmContact(string? Name, string? Email, string? Phone)
{
    /// <summary>No contact given.</summary>
    public static readonly TsmContact None = new(null, null, null);

    internal static string? ValidEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        var trimmed = email.Trim();
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        return trimmed.Length <= 200 && at > 0 && at == trimmed.LastIndexOf('@') && at < trimmed.Length - 1 && !trimmed.Any(char.IsWhiteSpace)
            ? trimmed
            : throw new DomainInputException("contact e-mail: expected an address like name@example.com");
    }

    internal static string? ValidPhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var trimmed = phone.Trim();
        return trimmed.Length <= 50 && trimmed.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.' or '/')
            ? trimmed
            : throw new DomainInputException("contact phone: expected digits, spaces and + - ( ) . / only, at most 50 characters");
    }
}
