using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;

namespace Ttp.Domain.Tsms;

/// <summary>TSM accreditation: register, approve (four eyes), suspend, reinstate, revoke, list. Every change audited.</summary>
public sealed class TsmService(IDbContextFactory<TtpDbContext> factory, AuditedTransaction audited, TimeProvider time)
{
    /// <summary>Registers a TSM with its client certificate and issuer scope; it waits for a second operator's approval.</summary>
    public Task<Tsm> RegisterAsync(string name, string? organisation, byte[] certificate, IReadOnlyList<string> issuers, Actor actor, CancellationToken cancellationToken = default)
    {
        var info = CertificateInfo.Read(certificate);
        var now = time.GetUtcNow();
        CertificatePolicy.Check(info, now);
        return audited.RunAsync(async db =>
        {
            if (await db.Tsms.AnyAsync(t => t.Name == name.Trim(), cancellationToken))
            {
                throw new RuleViolationException($"a TSM named '{name.Trim()}' already exists");
            }

            var owner = await db.TsmCertificates.Where(c => c.Sha256Thumbprint == info.Sha256Thumbprint)
                .Join(db.Tsms, c => c.TsmId, t => t.Id, (c, t) => t.Name)
                .FirstOrDefaultAsync(cancellationToken);
            if (owner is not null)
            {
                throw new RuleViolationException($"this certificate is already registered to TSM '{owner}'");
            }

            var tsm = Tsm.Register(name, organisation, info, issuers, actor, now);
            db.Tsms.Add(tsm);
            return (tsm, Record("tsm.registered", actor, tsm, new
            {
                tsm.Name,
                tsm.Organisation,
                State = tsm.State.ToString(),
                Certificate = new { info.Sha256Thumbprint, info.Subject, info.Issuer, info.NotBefore, info.NotAfter },
                Issuers = tsm.Scope.Select(s => s.Iin).ToArray(),
            }));
        }, cancellationToken);
    }

    /// <summary>
    /// Approves a pending TSM. The approver must be an active staff Operator who is not the actor who registered it;
    /// <paramref name="actor"/> is who performs the command (the approver in the portal, <c>cli:user</c> in ttpctl).
    /// </summary>
    public Task<Tsm> ApproveAsync(string name, string approverEmail, Actor actor, CancellationToken cancellationToken = default) =>
        audited.RunAsync(async db =>
        {
            var approver = await RequireOperatorAsync(db, approverEmail, cancellationToken);
            var tsm = await FindAsync(db, name, cancellationToken);
            var before = tsm.State;
            tsm.Approve(approver, time.GetUtcNow());
            return (tsm, Record("tsm.approved", actor, tsm, new { Before = before.ToString(), After = tsm.State.ToString(), Approver = approver.Id }));
        }, cancellationToken);

    /// <summary>Suspends an active TSM.</summary>
    public Task<Tsm> SuspendAsync(string name, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(name, "tsm.suspended", t => t.Suspend(reason), reason, actor, cancellationToken);

    /// <summary>Reinstates a suspended TSM.</summary>
    public Task<Tsm> ReinstateAsync(string name, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(name, "tsm.reinstated", t => t.Reinstate(reason), reason, actor, cancellationToken);

    /// <summary>Revokes a TSM's accreditation (final).</summary>
    public Task<Tsm> RevokeAsync(string name, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(name, "tsm.revoked", t => t.Revoke(reason), reason, actor, cancellationToken);

    /// <summary>Every TSM with its certificates and scope, by name.</summary>
    public async Task<IReadOnlyList<Tsm>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Tsms.AsNoTracking().Include(t => t.Certificates).Include(t => t.Scope)
            .OrderBy(t => t.Name).ToListAsync(cancellationToken);
    }

    internal static async Task<Tsm> FindAsync(TtpDbContext db, string name, CancellationToken cancellationToken) =>
        await db.Tsms.Include(t => t.Certificates).Include(t => t.Scope)
            .FirstOrDefaultAsync(t => t.Name == name, cancellationToken)
        ?? throw new NotFoundException($"no TSM named '{name}'");

    private Task<Tsm> ChangeStateAsync(string name, string action, Action<Tsm> change, string reason, Actor actor, CancellationToken cancellationToken) =>
        audited.RunAsync(async db =>
        {
            var tsm = await FindAsync(db, name, cancellationToken);
            var before = tsm.State;
            change(tsm);
            return (tsm, Record(action, actor, tsm, new { Before = before.ToString(), After = tsm.State.ToString(), Reason = reason }));
        }, cancellationToken);

    private static async Task<Actor> RequireOperatorAsync(TtpDbContext db, string email, CancellationToken cancellationToken)
    {
        var normalized = email.Trim().ToUpperInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken)
            ?? throw new NotFoundException($"no staff account for {email}");
        var isOperator = await (from ur in db.UserRoles
                                join r in db.Roles on ur.RoleId equals r.Id
                                where ur.UserId == user.Id && r.Name == StaffRoles.Operator
                                select r.Id).AnyAsync(cancellationToken);
        if (!isOperator || user.IsDisabled)
        {
            throw new RuleViolationException($"{email} is not an active Operator; only an Operator can approve a TSM");
        }

        return Actor.Staff(email);
    }

    private static AuditRecord Record(string action, Actor actor, Tsm tsm, object details) =>
        AuditRecord.StaffAction(action, actor, "tsm:" + tsm.Name, details);
}
