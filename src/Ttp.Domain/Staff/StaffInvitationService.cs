using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;

namespace Ttp.Domain.Staff;

/// <summary>
/// Staff invitations (<see cref="StaffInvitation"/>): an Administrator invites an address with roles and receives a
/// one-time enrolment link, once; the invitee opens it, sees the address and roles, and sets their own password, which
/// creates the account with those roles and uses the link up, in one transaction. Inviting an address again withdraws
/// the earlier link; an Administrator can withdraw a pending one. Every step is audited (<c>user.invited</c>,
/// <c>user.added</c> via invitation, <c>user.invitation-revoked</c>), never with the token. A row that fails its MAC is
/// refused and raised as an integrity failure. A scoped service (it uses Identity's user manager).
/// </summary>
public sealed class StaffInvitationService(
    StaffService staff,
    UserManager<StaffUser> users,
    AuditedTransaction audited,
    IDbContextFactory<TtpDbContext> factory,
    RecordKeyHolder recordKey,
    IntegrityAlarm alarm,
    TimeProvider time)
{
    /// <summary>The audit action of an invitation.</summary>
    public const string InvitedAction = "user.invited";

    /// <summary>The audit action of a withdrawn invitation.</summary>
    public const string RevokedAction = "user.invitation-revoked";

    private const string UnknownLink =
        "this enrolment link is not known: check that it was copied whole, or ask an Administrator for a new invitation";

    private const string IntegrityMessage =
        "this invitation does not match its MAC: it was written or altered outside the product and is refused; ask an Administrator for a new one";

    /// <summary>
    /// Invites <paramref name="email"/> with <paramref name="roleNames"/>; withdraws any pending invitation to the same
    /// address. Returns the invitation and its token, which exists nowhere else.
    /// </summary>
    /// <exception cref="DomainInputException">No e-mail address, or no or an unknown role.</exception>
    /// <exception cref="RuleViolationException">The actor is not an active Administrator (nor the host operator), or an
    /// account for the address exists.</exception>
    public async Task<IssuedInvitation> InviteAsync(string email, IReadOnlyCollection<string> roleNames, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        email = StaffRules.RequireEmail(email);
        var roles = StaffRules.CanonicalRoles(roleNames);
        var normalized = users.NormalizeEmail(email);
        var token = OneTimeToken.Create(out var hash);
        var invitation = await audited.RunAsync(async db =>
        {
            await StaffRules.RequireAdministratorAsync(db, actor, cancellationToken);
            if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
            {
                throw new RuleViolationException($"a staff account for {email} already exists");
            }

            var now = time.GetUtcNow();
            var earlier = await db.StaffInvitations
                .Where(i => i.NormalizedEmail == normalized && i.State == StaffInvitationState.Pending)
                .ToListAsync(cancellationToken);
            foreach (var replaced in earlier)
            {
                replaced.Revoke(actor, now);
            }

            var created = StaffInvitation.Create(email, normalized, roles, hash, actor, now);
            db.StaffInvitations.Add(created);
            return (created, AuditRecord.StaffAction(InvitedAction, actor, StaffRules.Subject(email), new
            {
                Email = email,
                Roles = roles,
                InvitationId = created.Id,
                created.ExpiresAt,
                Replaced = earlier.Select(i => i.Id).ToArray(),
            }));
        }, cancellationToken);
        return new IssuedInvitation(Describe(invitation), token);
    }

    /// <summary>The invitation of <paramref name="token"/> when its link can be used now.</summary>
    /// <exception cref="NotFoundException">No invitation has this token.</exception>
    /// <exception cref="RuleViolationException">The link was used, withdrawn or has expired (the message says which).</exception>
    /// <exception cref="IntegrityException">The invitation fails its MAC (raised once as an integrity failure).</exception>
    public async Task<StaffInvitationInfo> LookUpAsync(string? token, CancellationToken cancellationToken = default)
    {
        var invitation = await FindUsableAsync(token, cancellationToken);
        return Describe(invitation);
    }

    /// <summary>
    /// Uses the link: creates the invitee's account with the invitation's address and roles and
    /// <paramref name="password"/>, and marks the invitation used, in one audited transaction. Of two redemptions at
    /// once, exactly one creates the account.
    /// </summary>
    /// <exception cref="DomainInputException">The password does not meet the policy (the link stays usable).</exception>
    /// <exception cref="NotFoundException">No invitation has this token.</exception>
    /// <exception cref="RuleViolationException">The link was used, withdrawn or has expired, or the account exists.</exception>
    /// <exception cref="IntegrityException">The invitation fails its MAC.</exception>
    public async Task<StaffUser> RedeemAsync(string? token, string password, CancellationToken cancellationToken = default)
    {
        var found = await FindUsableAsync(token, cancellationToken);
        var user = await staff.NewUserAsync(found.Email, password ?? string.Empty);
        await staff.EnsureRolesAsync();
        var authenticator = await recordKey.GetAsync(cancellationToken);
        try
        {
            return await audited.RunAsync(async db =>
            {
                // Read again under the audit chain's lock, which every writer takes first: a redemption that raced this one
                // has committed by now, and this one sees the link used.
                var invitation = await db.StaffInvitations.SingleOrDefaultAsync(i => i.Id == found.Id, cancellationToken)
                    ?? throw new NotFoundException(UnknownLink);
                if (!authenticator.IsAuthentic(invitation))
                {
                    throw new IntegrityException(IntegrityMessage);
                }

                invitation.MarkUsed(user.Id, time.GetUtcNow());
                var roles = invitation.RoleList;
                await StaffRules.AddUserAsync(db, user, roles, cancellationToken);
                return (user, AuditRecord.StaffAction("user.added", Actor.Staff(invitation.Email), StaffRules.Subject(invitation.Email), new
                {
                    invitation.Email,
                    Roles = roles,
                    Via = "invitation",
                    InvitationId = invitation.Id,
                    InvitedBy = invitation.CreatedBy,
                }));
            }, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The account's unique sign-in name: it was created in between (by this link or otherwise). Anything else
            // goes on as it was.
            if (await users.FindByEmailAsync(found.Email) is null)
            {
                throw;
            }

            throw new RuleViolationException($"a staff account for {found.Email} already exists: sign in, or ask an Administrator");
        }
    }

    /// <summary>Withdraws a pending invitation; its link no longer works.</summary>
    /// <exception cref="NotFoundException">No such invitation.</exception>
    /// <exception cref="RuleViolationException">Not an Administrator, or the invitation is no longer pending.</exception>
    public Task RevokeAsync(Guid invitationId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return audited.RunAsync(async db =>
        {
            await StaffRules.RequireAdministratorAsync(db, actor, cancellationToken);
            var invitation = await db.StaffInvitations.SingleOrDefaultAsync(i => i.Id == invitationId, cancellationToken)
                ?? throw new NotFoundException($"no invitation {invitationId:D}");
            invitation.Revoke(actor, time.GetUtcNow());
            return (true, AuditRecord.StaffAction(RevokedAction, actor, StaffRules.Subject(invitation.Email), new
            {
                invitation.Email,
                Roles = invitation.RoleList,
                InvitationId = invitation.Id,
                invitation.ExpiresAt,
            }));
        }, cancellationToken);
    }

    /// <summary>The invitations whose links can still be used, soonest to expire first; a row that fails its MAC is flagged.</summary>
    public async Task<IReadOnlyList<StaffInvitationInfo>> ListPendingAsync(CancellationToken cancellationToken = default)
    {
        var authenticator = await recordKey.GetAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var pending = await db.StaffInvitations.AsNoTracking().Where(i => i.State == StaffInvitationState.Pending).ToListAsync(cancellationToken);
        return pending
            .Where(i => !i.IsExpiredAt(now))
            .OrderBy(i => i.ExpiresAt)
            .Select(i => Describe(i) with { FailsIntegrity = !authenticator.IsAuthentic(i) })
            .ToList();
    }

    private async Task<StaffInvitation> FindUsableAsync(string? token, CancellationToken cancellationToken)
    {
        if (!OneTimeToken.IsWellFormed(token))
        {
            throw new NotFoundException(UnknownLink);
        }

        var hash = OneTimeToken.Hash(token!);
        var authenticator = await recordKey.GetAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var invitation = await db.StaffInvitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);

        // The lookup went by hash; the comparison that decides is in constant time.
        if (invitation is null || !OneTimeToken.Matches(invitation.TokenHash, token))
        {
            throw new NotFoundException(UnknownLink);
        }

        if (!authenticator.IsAuthentic(invitation))
        {
            await alarm.RecordsRejectedAsync([invitation], cancellationToken);
            throw new IntegrityException(IntegrityMessage);
        }

        invitation.RequireUsable(time.GetUtcNow());
        return invitation;
    }

    private static StaffInvitationInfo Describe(StaffInvitation invitation) =>
        new(invitation.Id, invitation.Email, invitation.RoleList, invitation.CreatedBy, invitation.CreatedAt, invitation.ExpiresAt);
}
