using System.Globalization;

namespace Ttp.Portal.Components.Account;

/// <summary>What the account pages say and where they send people, in one place.</summary>
internal static class AccountText
{
    public const string WrongPassword = "The e-mail or password is not right, or the account is disabled.";

    public const string WrongCode = "That code is not right, has expired, or was already used: wait for the next one.";

    /// <summary><paramref name="returnUrl"/> when it is a local path, else the home page (no open redirect).</summary>
    public static string LocalUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";

    /// <summary>The lockout sentence, naming when it ends when known.</summary>
    public static string LockedOut(DateTimeOffset? until) => until is { } end
        ? $"This account is locked after too many failed attempts until {Ttp.Portal.Components.Shared.TimeDisplay.Format(end)}; an administrator can unlock it sooner."
        : "This account is locked after too many failed attempts; try again later or ask an administrator to unlock it.";

    /// <summary>A point in time as the account pages show it, e.g. "2026-12-06 10:13:05 UTC".</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A domain refusal of a form (<c>field: message</c>) split into the field it names (null when it names none) and
    /// the message as a sentence.
    /// </summary>
    public static (string? Field, string Message) FieldError(string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && message[..colon].All(char.IsAsciiLetter)
            ? (message[..colon], Components.Shared.PageActions.Sentence(message[(colon + 2)..]))
            : (null, Components.Shared.PageActions.Sentence(message));
    }

    /// <summary>A code as typed (spaces and dashes removed).</summary>
    public static string Code(string? typed) => (typed ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
}
