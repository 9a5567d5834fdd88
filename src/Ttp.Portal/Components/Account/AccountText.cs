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

    /// <summary>A code as typed (spaces and dashes removed).</summary>
    public static string Code(string? typed) => (typed ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
}
