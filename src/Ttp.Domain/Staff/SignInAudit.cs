using Microsoft.Extensions.Logging;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Staff;

/// <summary>
/// Sign-in events in the audit chain (staff-action stream) and the log: a sign-in, each refused password, authenticator
/// code or recovery code, a lockout, a sign-out. A record names the account (or the address typed, when no account has
/// it) and the remote address; never the password or code typed. A refusal is expected: it is logged at Warning, without
/// an exception. Records go through the <see cref="AuditWriter"/>'s group commit, so a burst of failed attempts costs one
/// transaction per batch, not per attempt. A singleton.
/// </summary>
public sealed partial class SignInAudit(AuditWriter writer, ILogger<SignInAudit> logger)
{
    /// <summary>A staff member signed in (details: <c>method</c>, <c>remoteAddress</c>).</summary>
    public const string SignedInAction = "user.signed-in";

    /// <summary>A sign-in refused at the password step (details: <c>reason</c>, <c>remoteAddress</c>).</summary>
    public const string PasswordRefusedAction = "user.password-refused";

    /// <summary>A sign-in refused at the authenticator-code step.</summary>
    public const string CodeRefusedAction = "user.code-refused";

    /// <summary>A sign-in refused at the recovery-code step.</summary>
    public const string RecoveryCodeRefusedAction = "user.recovery-code-refused";

    /// <summary>Too many failed attempts locked the account (actor <c>system</c>; details: <c>lockedOutUntil</c>).</summary>
    public const string LockedOutAction = "user.locked-out";

    /// <summary>A staff member signed out of this browser.</summary>
    public const string SignedOutAction = "user.signed-out";

    /// <summary>The outcome of a refused attempt (as <see cref="ApproverAuthentication.RefusedAction"/>'s).</summary>
    public const string OutcomeDenied = "denied";

    /// <summary>Who makes a refused attempt: nobody signed in (the account is the record's subject).</summary>
    public static Actor Anonymous { get; } = Actor.FromId("anonymous");

    /// <summary>Which step of a sign-in refused an attempt.</summary>
    public enum Step
    {
        /// <summary>The password.</summary>
        Password,

        /// <summary>The authenticator app's code.</summary>
        AuthenticatorCode,

        /// <summary>A recovery code.</summary>
        RecoveryCode,
    }

    /// <summary>Why an attempt was refused (recorded in words; a page says less, so as not to tell which accounts exist).</summary>
    public enum Reason
    {
        /// <summary>No staff account has the address typed.</summary>
        UnknownAccount,

        /// <summary>The password, code or recovery code was wrong (or a code was reused).</summary>
        Wrong,

        /// <summary>The account is disabled.</summary>
        Disabled,

        /// <summary>The account was already locked out.</summary>
        LockedOut,
    }

    /// <summary>Records a sign-in of <paramref name="email"/> by <paramref name="method"/> (e.g. <c>password-totp</c>).</summary>
    public async Task SignedInAsync(string email, string method, string? remoteAddress, CancellationToken cancellationToken = default)
    {
        LogSignedIn(logger, email, method, remoteAddress ?? "-");
        await writer.AppendAsync(AuditRecord.StaffAction(SignedInAction, Actor.Staff(email), StaffRules.Subject(email),
            new { Method = method, RemoteAddress = remoteAddress }), cancellationToken);
    }

    /// <summary>
    /// Records an attempt refused at <paramref name="step"/>. <paramref name="typedEmail"/> is what was typed: kept only
    /// when it looks like an address (a password typed into the address field is not recorded).
    /// </summary>
    public async Task RefusedAsync(Step step, string? typedEmail, Reason reason, string? remoteAddress, CancellationToken cancellationToken = default)
    {
        var email = AddressOrNull(typedEmail);
        var action = step switch
        {
            Step.Password => PasswordRefusedAction,
            Step.AuthenticatorCode => CodeRefusedAction,
            Step.RecoveryCode => RecoveryCodeRefusedAction,
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
        var why = reason switch
        {
            Reason.UnknownAccount => "unknown-account",
            Reason.Wrong => step == Step.Password ? "wrong-password" : "wrong-code",
            Reason.Disabled => "disabled-account",
            Reason.LockedOut => "locked-out",
            _ => throw new ArgumentOutOfRangeException(nameof(reason)),
        };
        LogRefused(logger, action, email ?? "(not an e-mail address)", why, remoteAddress ?? "-");
        await writer.AppendAsync(AuditRecord.StaffAction(action, Anonymous, email is null ? string.Empty : StaffRules.Subject(email),
            new { Email = email, Reason = why, RemoteAddress = remoteAddress }, OutcomeDenied), cancellationToken);
    }

    /// <summary>Records that failed attempts locked <paramref name="email"/> until <paramref name="until"/>.</summary>
    public async Task LockedOutAsync(string email, DateTimeOffset? until, string? remoteAddress, CancellationToken cancellationToken = default)
    {
        LogLockedOut(logger, email, until, remoteAddress ?? "-");
        await writer.AppendAsync(AuditRecord.StaffAction(LockedOutAction, Actor.System, StaffRules.Subject(email),
            new { Email = email, LockedOutUntil = until, RemoteAddress = remoteAddress }), cancellationToken);
    }

    /// <summary>Records that <paramref name="email"/> signed out of one browser.</summary>
    public async Task SignedOutAsync(string email, string? remoteAddress, CancellationToken cancellationToken = default)
    {
        LogSignedOut(logger, email, remoteAddress ?? "-");
        await writer.AppendAsync(AuditRecord.StaffAction(SignedOutAction, Actor.Staff(email), StaffRules.Subject(email),
            new { RemoteAddress = remoteAddress }), cancellationToken);
    }

    /// <summary>The address typed, trimmed, when it looks like one and fits a record; else null.</summary>
    internal static string? AddressOrNull(string? typed)
    {
        var trimmed = typed?.Trim();
        return trimmed is { Length: > 2 and <= 190 } && trimmed.Contains('@', StringComparison.Ordinal)
            && !trimmed.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? trimmed
            : null;
    }

    [LoggerMessage(EventId = 4700, Level = LogLevel.Information, Message = "Staff sign-in of {Email} ({Method}) from {RemoteAddress}")]
    private static partial void LogSignedIn(ILogger logger, string email, string method, string remoteAddress);

    [LoggerMessage(EventId = 4701, Level = LogLevel.Warning, Message = "Staff sign-in refused ({Action}) for {Email}: {Reason}, from {RemoteAddress}")]
    private static partial void LogRefused(ILogger logger, string action, string email, string reason, string remoteAddress);

    [LoggerMessage(EventId = 4702, Level = LogLevel.Warning, Message = "Staff account {Email} locked out until {Until} after failed sign-ins, the last from {RemoteAddress}")]
    private static partial void LogLockedOut(ILogger logger, string email, DateTimeOffset? until, string remoteAddress);

    [LoggerMessage(EventId = 4703, Level = LogLevel.Information, Message = "Staff sign-out of {Email} from {RemoteAddress}")]
    private static partial void LogSignedOut(ILogger logger, string email, string remoteAddress);
}
