using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Domain.Staff;

/// <summary>
/// A staff member's own account (the portal's <c>/account</c>): what it is (roles, second factor, recovery codes left,
/// whether a password change is due), a password change, new recovery codes, and signing out everywhere. Each change is
/// one <see cref="AuditedTransaction"/> with its record, acted by the staff member themselves; no record holds a
/// password or a code. A scoped service.
/// </summary>
public sealed class StaffAccountService(
    UserManager<StaffUser> users,
    PasswordRules rules,
    AuditedTransaction audited,
    AuditWriter writer,
    IDbContextFactory<TtpDbContext> factory)
{
    /// <summary>
    /// The user claim (Identity's <c>AspNetUserClaims</c>, so it travels in the sign-in cookie) of an account whose
    /// password someone else chose (<c>ttpctl user add</c>): the portal lets it do nothing but change it.
    /// </summary>
    public const string PasswordChangeRequiredClaim = "ttp:password-change-required";

    /// <summary>The staff member changed their password.</summary>
    public const string PasswordChangedAction = "user.password-changed";

    /// <summary>A password change refused because the current password given was wrong.</summary>
    public const string PasswordChangeRefusedAction = "user.password-change-refused";

    /// <summary>The staff member replaced their recovery codes.</summary>
    public const string RecoveryCodesRegeneratedAction = "user.recovery-codes-regenerated";

    /// <summary>The staff member ended every session of their account (a new security stamp).</summary>
    public const string SignedOutEverywhereAction = "user.signed-out-everywhere";

    /// <summary>The account of <paramref name="email"/> as its owner sees it.</summary>
    /// <exception cref="NotFoundException">No account has the address.</exception>
    public async Task<StaffAccount> AccountAsync(string email, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var user = await FindAsync(db, email, cancellationToken);
        var roles = await StaffRules.RolesOfAsync(db, user.Id, cancellationToken);
        var codesLeft = user.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(user) : 0;
        var changeRequired = await db.UserClaims.AnyAsync(c => c.UserId == user.Id && c.ClaimType == PasswordChangeRequiredClaim, cancellationToken);
        return new StaffAccount(user.Email!, roles, user.TwoFactorEnabled, codesLeft, changeRequired);
    }

    /// <summary>
    /// Replaces the password of <paramref name="email"/> after checking <paramref name="currentPassword"/>; ends the
    /// account's other sessions (new security stamp; the caller renews its own cookie) and clears a required change.
    /// A wrong current password counts as a failed sign-in (lockout applies) and is audited.
    /// </summary>
    /// <exception cref="DomainInputException"><c>currentPassword: ...</c> or <c>newPassword: ...</c>, in sentence case after the field.</exception>
    /// <exception cref="RuleViolationException">The account is disabled or locked out.</exception>
    public async Task ChangePasswordAsync(string email, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(currentPassword);
        ArgumentNullException.ThrowIfNull(newPassword);
        var user = await users.FindByEmailAsync(StaffRules.RequireEmail(email)) ?? throw new NotFoundException($"no staff account for {email.Trim()}");
        if (user.IsDisabled || await users.IsLockedOutAsync(user))
        {
            throw new RuleViolationException("this account is disabled or locked out");
        }

        if (!await users.CheckPasswordAsync(user, currentPassword))
        {
            await users.AccessFailedAsync(user);
            await writer.AppendAsync(AuditRecord.StaffAction(PasswordChangeRefusedAction, Actor.Staff(user.Email!), StaffRules.Subject(user.Email!),
                new { Reason = "wrong-current-password" }, SignInAudit.OutcomeDenied), cancellationToken);
            throw new DomainInputException("currentPassword: That is not your current password.");
        }

        if (rules.Problem(newPassword) is { } problem)
        {
            throw new DomainInputException("newPassword: " + problem);
        }

        if (string.Equals(currentPassword, newPassword, StringComparison.Ordinal))
        {
            throw new DomainInputException("newPassword: Choose a password other than your current one.");
        }

        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, newPassword);
            if (!check.Succeeded)
            {
                throw new DomainInputException("newPassword: " + rules.Explain(newPassword, check.Errors));
            }
        }

        await users.ResetAccessFailedCountAsync(user);
        await ChangeOwnAsync(user.Email!, PasswordChangedAction, async (db, stored) =>
        {
            var required = await db.UserClaims.Where(c => c.UserId == stored.Id && c.ClaimType == PasswordChangeRequiredClaim).ToListAsync(cancellationToken);
            db.UserClaims.RemoveRange(required);
            stored.PasswordHash = users.PasswordHasher.HashPassword(stored, newPassword);
            stored.SecurityStamp = NewStamp();
            return new { WasRequired = required.Count > 0 };
        }, cancellationToken);
    }

    /// <summary>
    /// Replaces the recovery codes of <paramref name="email"/> with <see cref="RecoveryCodes.Count"/> new ones, returned
    /// once (only their hashes are stored); the old ones stop working.
    /// </summary>
    /// <exception cref="RuleViolationException">The account has no authenticator enrolled.</exception>
    public async Task<IReadOnlyList<string>> RegenerateRecoveryCodesAsync(string email, CancellationToken cancellationToken = default)
    {
        var codes = RecoveryCodes.New();
        await ChangeOwnAsync(email, RecoveryCodesRegeneratedAction, async (db, stored) =>
        {
            if (!stored.TwoFactorEnabled)
            {
                throw new RuleViolationException("enrol an authenticator first: recovery codes stand in for it");
            }

            var value = StaffUserStore.StoredCodes(stored.Id, codes);
            var token = await db.UserTokens.SingleOrDefaultAsync(
                t => t.UserId == stored.Id && t.LoginProvider == StaffUserStore.InternalProvider && t.Name == StaffUserStore.RecoveryCodesName, cancellationToken);
            if (token is null)
            {
                db.UserTokens.Add(new IdentityUserToken<Guid>
                {
                    UserId = stored.Id, LoginProvider = StaffUserStore.InternalProvider, Name = StaffUserStore.RecoveryCodesName, Value = value,
                });
            }
            else
            {
                token.Value = value;
            }

            return new { Codes = codes.Count };
        }, cancellationToken);
        return codes;
    }

    /// <summary>Ends every session of <paramref name="email"/>, this one included, at its next validation (a new security stamp).</summary>
    public Task SignOutEverywhereAsync(string email, CancellationToken cancellationToken = default) =>
        ChangeOwnAsync(email, SignedOutEverywhereAction, (_, stored) =>
        {
            stored.SecurityStamp = NewStamp();
            return Task.FromResult<object>(new { });
        }, cancellationToken);

    /// <summary>Whether a principal's claims say its password must be changed before anything else.</summary>
    public static bool MustChangePassword(ClaimsPrincipal? user) => user?.HasClaim(PasswordChangeRequiredClaim, "true") == true;

    /// <summary>The claim row that marks a new account's password as chosen by someone else.</summary>
    internal static IdentityUserClaim<Guid> RequiredChange(Guid userId) =>
        new() { UserId = userId, ClaimType = PasswordChangeRequiredClaim, ClaimValue = "true" };

    private async Task ChangeOwnAsync(string email, string action, Func<TtpDbContext, StaffUser, Task<object>> change, CancellationToken cancellationToken) =>
        await audited.RunAsync(async db =>
        {
            var user = await FindAsync(db, email, cancellationToken);
            if (user.IsDisabled)
            {
                throw new RuleViolationException("this account is disabled");
            }

            var details = await change(db, user);
            user.ConcurrencyStamp = NewStamp();
            return (true, AuditRecord.StaffAction(action, Actor.Staff(user.Email!), StaffRules.Subject(user.Email!), details));
        }, cancellationToken);

    private async Task<StaffUser> FindAsync(TtpDbContext db, string email, CancellationToken cancellationToken)
    {
        var normalized = users.NormalizeEmail(StaffRules.RequireEmail(email));
        return await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken)
            ?? throw new NotFoundException($"no staff account for {email.Trim()}");
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");
}
