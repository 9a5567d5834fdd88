using Microsoft.AspNetCore.Identity;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Staff;

/// <summary>
/// Checks, for a four-eyes decision taken at the command line, that the approver named is present: their own password
/// and, when their account has an authenticator, a current code (single use, as at sign-in). A wrong one counts as a
/// failed sign-in (lockout applies), is audited, and is refused as a rule violation. A scoped service.
/// </summary>
public sealed class ApproverAuthentication(UserManager<StaffUser> users, AuditWriter audit, TimeProvider time)
{
    /// <summary>The audit action of a refused approver.</summary>
    public const string RefusedAction = "user.approver-refused";

    /// <summary>Returns <paramref name="email"/> when the credentials are that staff member's; otherwise throws.</summary>
    /// <exception cref="RuleViolationException">Unknown, disabled or locked out account, wrong password or code.</exception>
    public async Task<string> VerifyAsync(string email, string password, string? code, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await users.FindByEmailAsync(email);
        string? problem = user is null || user.IsDisabled ? "no active staff account"
            : await users.IsLockedOutAsync(user) ? "the account is locked out"
            : null;
        if (problem is null && !await users.CheckPasswordAsync(user!, password))
        {
            await users.AccessFailedAsync(user!);
            problem = "wrong password";
        }

        if (problem is null && user!.TwoFactorEnabled)
        {
            var provider = new SingleUseAuthenticatorTokenProvider(time);
            if (string.IsNullOrWhiteSpace(code) || !await provider.ValidateAsync("TwoFactor", code.Trim(), users, user))
            {
                await users.AccessFailedAsync(user);
                problem = string.IsNullOrWhiteSpace(code) ? "an authenticator code is required (--totp)" : "wrong or reused authenticator code";
            }
        }

        if (problem is null)
        {
            await users.ResetAccessFailedCountAsync(user!);
            return email;
        }

        await audit.AppendAsync(AuditRecord.StaffAction(RefusedAction, actor, Actor.Staff(email).Id, new { Reason = problem }, "denied"), cancellationToken);
        throw new RuleViolationException($"approver: {email} could not be authenticated ({problem})");
    }
}
