using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Domain.Staff;

/// <summary>
/// Staff accounts: create (the CLI's bootstrap path and the first-run setup; staff are otherwise invited, see
/// <see cref="StaffInvitationService"/>), roles, disable and enable, second-factor reset, unlock. Every change is audited
/// with its actor and the state before and after; no record holds a password, a hash or an authenticator key.
/// </summary>
public sealed class StaffService(
    UserManager<StaffUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    AuditedTransaction audited,
    IDbContextFactory<TtpDbContext> factory,
    TimeProvider time)
{
    /// <summary>Identity's store name for the authenticator key and recovery codes (<c>UserStoreBase</c>).</summary>
    private const string IdentityTokenProvider = "[AspNetUserStore]";

    /// <summary>Creates a staff account with one role; the e-mail is its sign-in name. The password must meet the policy.</summary>
    public Task<StaffUser> AddAsync(string email, string role, string password, Actor actor, CancellationToken cancellationToken = default) =>
        AddAsync(email, [role], password, actor, cancellationToken);

    /// <summary>
    /// Creates a staff account with one or more roles and a password chosen by the caller (the host operator's
    /// <c>ttpctl user add</c>, and tests); the e-mail is its sign-in name. The password must meet the policy. Staff are
    /// otherwise invited (<see cref="StaffInvitationService"/>), so that nobody but the invitee knows their password.
    /// </summary>
    public Task<StaffUser> AddAsync(string email, IReadOnlyCollection<string> roleNames, string password, Actor actor, CancellationToken cancellationToken = default) =>
        AddAsync(email, roleNames, password, actor, passwordChangeRequired: false, cancellationToken);

    /// <summary>
    /// As <see cref="AddAsync(string, IReadOnlyCollection{string}, string, Actor, CancellationToken)"/>; with
    /// <paramref name="passwordChangeRequired"/> (someone else chose the password) the account can do nothing in the
    /// portal but change it (<see cref="StaffAccountService.PasswordChangeRequiredClaim"/>).
    /// </summary>
    public async Task<StaffUser> AddAsync(
        string email, IReadOnlyCollection<string> roleNames, string password, Actor actor, bool passwordChangeRequired, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var canonicalRoles = StaffRules.CanonicalRoles(roleNames);
        var user = await NewUserAsync(email, password);
        await EnsureRolesAsync();
        return await audited.RunAsync(async db =>
        {
            await StaffRules.AddUserAsync(db, user, canonicalRoles, cancellationToken);
            if (passwordChangeRequired)
            {
                db.UserClaims.Add(StaffAccountService.RequiredChange(user.Id));
            }

            object details = passwordChangeRequired ? new { user.Email, Roles = canonicalRoles, PasswordChangeRequired = true } : new { user.Email, Roles = canonicalRoles };
            return (user, AuditRecord.StaffAction("user.added", actor, StaffRules.Subject(user.Email!), details));
        }, cancellationToken);
    }

    /// <summary>
    /// The first-run setup: creates the first Administrator (audited as <see cref="Actor.System"/>, via <c>setup</c>);
    /// refused once an active Administrator exists.
    /// </summary>
    public async Task<StaffUser> AddFirstAdministratorAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        var user = await NewUserAsync(email, password);
        await EnsureRolesAsync();
        return await audited.RunAsync(async db =>
        {
            if (await StaffRules.ActiveAdministratorCountAsync(db, cancellationToken) > 0)
            {
                throw new RuleViolationException("an administrator already exists: setup is closed");
            }

            string[] administrator = [StaffRoles.Administrator];
            await StaffRules.AddUserAsync(db, user, administrator, cancellationToken);
            return (user, AuditRecord.StaffAction("user.added", Actor.System, StaffRules.Subject(user.Email!), new { user.Email, Roles = administrator, Via = "setup" }));
        }, cancellationToken);
    }

    /// <summary>Whether at least one Administrator account is not disabled.</summary>
    public async Task<bool> HasActiveAdministratorAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await StaffRules.ActiveAdministratorCountAsync(db, cancellationToken) > 0;
    }

    /// <summary>
    /// Turns lockout on for accounts created before it was set for every new account (a repair run at portal start-up;
    /// it changes no policy, so it is not audited). Returns how many accounts changed.
    /// </summary>
    public async Task<int> EnableLockoutForAllAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => !u.LockoutEnabled).ExecuteUpdateAsync(u => u.SetProperty(x => x.LockoutEnabled, true), cancellationToken);
    }

    /// <summary>Every staff account, by e-mail.</summary>
    public async Task<IReadOnlyList<StaffMember>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Users.AsNoTracking().ToListAsync(cancellationToken);
        var memberships = await (from ur in db.UserRoles
                                 join r in db.Roles on ur.RoleId equals r.Id
                                 select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return accounts
            .OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .Select(u => new StaffMember(
                u.Email ?? u.UserName ?? string.Empty,
                memberships.Where(m => m.UserId == u.Id).Select(m => m.Name!).Order(StringComparer.Ordinal).ToList(),
                u.TwoFactorEnabled,
                u.LockoutEnd > now ? u.LockoutEnd : null,
                u.IsDisabled))
            .ToList();
    }

    /// <summary>
    /// Replaces the roles of <paramref name="email"/>. An administrator cannot remove their own Administrator role, and the
    /// last active Administrator cannot be demoted.
    /// </summary>
    public Task ChangeRolesAsync(string email, IReadOnlyCollection<string> roleNames, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var wanted = StaffRules.CanonicalRoles(roleNames);
        return ChangeAsync(email, "user.roles-changed", actor, async (db, user, before) =>
        {
            var isAdministrator = before.Contains(StaffRoles.Administrator);
            if (isAdministrator && !wanted.Contains(StaffRoles.Administrator))
            {
                if (IsSelf(actor, user))
                {
                    throw new RuleViolationException("you cannot remove your own Administrator role");
                }

                await StaffRules.RequireAnotherActiveAdministratorAsync(db, user, "demoted", cancellationToken);
            }

            // Nobody grants themselves a role: an Administrator who could add Operator to their own account would be
            // both the one who manages the staff and one of the two pairs of eyes.
            if (IsSelf(actor, user) && wanted.Except(before).Any())
            {
                throw new RuleViolationException("you cannot give yourself a role; another Administrator must do it");
            }

            var roleIds = await db.Roles.Where(r => wanted.Contains(r.Name!)).ToDictionaryAsync(r => r.Name!, r => r.Id, cancellationToken);
            var current = await db.UserRoles.Where(ur => ur.UserId == user.Id).ToListAsync(cancellationToken);
            db.UserRoles.RemoveRange(current.Where(ur => !roleIds.ContainsValue(ur.RoleId)));
            foreach (var roleId in roleIds.Values.Where(id => current.All(ur => ur.RoleId != id)))
            {
                db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = roleId });
            }

            // Role claims live in the sign-in cookie: a new stamp makes the next validation rebuild (or end) the session.
            user.SecurityStamp = NewStamp();
            return (new { Roles = before }, new { Roles = wanted });
        }, cancellationToken);
    }

    /// <summary>
    /// Disables <paramref name="email"/>: it can no longer sign in and its sessions end at the next validation. An
    /// administrator cannot disable themselves; the last active Administrator cannot be disabled.
    /// </summary>
    public Task DisableAsync(string email, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ChangeAsync(email, "user.disabled", actor, async (db, user, roleNames) =>
        {
            if (IsSelf(actor, user))
            {
                throw new RuleViolationException("you cannot disable your own account");
            }

            if (user.IsDisabled)
            {
                throw new RuleViolationException($"{user.Email} is already disabled");
            }

            if (roleNames.Contains(StaffRoles.Administrator))
            {
                await StaffRules.RequireAnotherActiveAdministratorAsync(db, user, "disabled", cancellationToken);
            }

            user.IsDisabled = true;
            user.SecurityStamp = NewStamp();
            return (new { IsDisabled = false }, new { IsDisabled = true });
        }, cancellationToken);
    }

    /// <summary>Enables a disabled account again.</summary>
    public Task EnableAsync(string email, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ChangeAsync(email, "user.enabled", actor, (_, user, _) =>
        {
            if (!user.IsDisabled)
            {
                throw new RuleViolationException($"{user.Email} is not disabled");
            }

            user.IsDisabled = false;
            return Task.FromResult<(object, object)>((new { IsDisabled = true }, new { IsDisabled = false }));
        }, cancellationToken);
    }

    /// <summary>
    /// Removes the authenticator and the recovery codes of <paramref name="email"/>: the staff member must enrol again at
    /// the next sign-in (every role but Auditor), and their sessions end at the next validation.
    /// </summary>
    public Task ResetTwoFactorAsync(string email, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ChangeAsync(email, "user.2fa-reset", actor, async (db, user, _) =>
        {
            var before = new { TwoFactorEnabled = user.TwoFactorEnabled };
            var tokens = await db.UserTokens.Where(t => t.UserId == user.Id && t.LoginProvider == IdentityTokenProvider).ToListAsync(cancellationToken);
            db.UserTokens.RemoveRange(tokens);
            db.StaffAuthenticatorKeys.RemoveRange(await db.StaffAuthenticatorKeys.Where(k => k.UserId == user.Id).ToListAsync(cancellationToken));
            user.TwoFactorEnabled = false;
            user.SecurityStamp = NewStamp();
            return (before, new { TwoFactorEnabled = false });
        }, cancellationToken);
    }

    /// <summary>Ends a lockout of <paramref name="email"/> and clears its failed sign-in count.</summary>
    public Task UnlockAsync(string email, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ChangeAsync(email, "user.unlocked", actor, (_, user, _) =>
        {
            var before = new { LockedOutUntil = user.LockoutEnd, user.AccessFailedCount };
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
            return Task.FromResult<(object, object)>((before, new { LockedOutUntil = (DateTimeOffset?)null, AccessFailedCount = 0 }));
        }, cancellationToken);
    }

    /// <summary>
    /// Records a staff member's own account event in the audit chain: <c>user.signed-in</c> (with the factor used) or
    /// <c>user.2fa-enrolled</c>. Never holds a password, code or key.
    /// </summary>
    /// <param name="email">The staff member (also the actor).</param>
    /// <param name="action"><c>user.signed-in</c> or <c>user.2fa-enrolled</c>.</param>
    /// <param name="method">How: <c>password</c>, <c>password-totp</c>, <c>password-recovery-code</c>, <c>totp</c>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task RecordAccountEventAsync(string email, string action, string method, CancellationToken cancellationToken = default)
    {
        if (action is not ("user.signed-in" or "user.2fa-enrolled"))
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, "expected user.signed-in or user.2fa-enrolled");
        }

        email = StaffRules.RequireEmail(email);
        await audited.RunAsync(_ => Task.FromResult((true, AuditRecord.StaffAction(action, Actor.Staff(email), StaffRules.Subject(email), new { Method = method }))), cancellationToken);
    }

    private delegate Task<(object Before, object After)> AccountChange(TtpDbContext db, StaffUser user, IReadOnlyList<string> roleNames);

    /// <summary>Loads the account in the audited transaction, applies <paramref name="change"/>, records before and after.</summary>
    private async Task ChangeAsync(string email, string action, Actor actor, AccountChange change, CancellationToken cancellationToken) =>
        await audited.RunAsync(async db =>
        {
            var normalized = users.NormalizeEmail(StaffRules.RequireEmail(email));
            var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken)
                ?? throw new NotFoundException($"no staff account for {email.Trim()}");
            var roleNames = await StaffRules.RolesOfAsync(db, user.Id, cancellationToken);
            var (before, after) = await change(db, user, roleNames);
            user.ConcurrencyStamp = NewStamp();
            return (true, AuditRecord.StaffAction(action, actor, StaffRules.Subject(user.Email!), new { user.Email, Before = before, After = after }));
        }, cancellationToken);

    /// <summary>A new account (not yet added) for <paramref name="email"/> with <paramref name="password"/>, checked against the policy.</summary>
    /// <exception cref="RuleViolationException">An account for the address exists.</exception>
    /// <exception cref="DomainInputException">The password does not meet the policy.</exception>
    internal async Task<StaffUser> NewUserAsync(string email, string password)
    {
        email = StaffRules.RequireEmail(email);
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new RuleViolationException($"a staff account for {email} already exists");
        }

        var user = new StaffUser { Id = Guid.NewGuid(), UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true };
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password);
            if (!check.Succeeded)
            {
                throw new DomainInputException("password: " + string.Join(" ", check.Errors.Select(e => e.Description)));
            }
        }

        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        user.NormalizedEmail = users.NormalizeEmail(user.Email);
        user.NormalizedUserName = users.NormalizeName(user.UserName);
        user.SecurityStamp = NewStamp();
        return user;
    }

    private static bool IsSelf(Actor actor, StaffUser user) =>
        string.Equals(actor.Id, Actor.Staff(user.Email!).Id, StringComparison.Ordinal);

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    internal async Task EnsureRolesAsync()
    {
        foreach (var role in StaffRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(role));
            }
        }
    }
}
