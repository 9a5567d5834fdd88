using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Microsoft.Extensions.Options;
using Ttp.Domain.Data;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Staff;

namespace Ttp.Domain.Tsms;

/// <summary>
/// TSM accreditation: register, approve or reject (four eyes), suspend, reinstate, revoke, scope, certificate rotation,
/// list. Every change audited in the same transaction, with the actor and what changed. Once a TSM is approved, a change
/// that widens its access (issuers added, a higher rate limit, a certificate added, reinstatement) is only proposed
/// (<see cref="TsmChange"/>) and takes effect when a second Operator approves it (<see cref="TsmChangeService"/>);
/// narrowing changes take effect at once.
/// </summary>
public sealed class TsmService(IDbContextFactory<TtpDbContext> factory, AuditedTransaction audited, IOptions<KeyRequestOptions> options, TimeProvider time)
{
    /// <summary>Registers a TSM with its client certificate and issuer scope; it waits for a second operator's approval.</summary>
    public Task<Tsm> RegisterAsync(string name, string? organisation, byte[] certificate, IReadOnlyList<string> issuers, Actor actor, CancellationToken cancellationToken = default) =>
        RegisterAsync(new TsmRegistration(name, organisation, issuers), certificate, actor, cancellationToken);

    /// <summary>
    /// Registers a TSM with its client certificate (PEM or DER), contact, scope and rate limit; it waits for a second
    /// operator's approval. Refuses, with the first problem <see cref="PreviewCertificateAsync"/> would list, a certificate
    /// that misses the <see cref="CertificatePolicy"/> or already belongs to a TSM.
    /// </summary>
    public Task<Tsm> RegisterAsync(TsmRegistration registration, byte[] certificate, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var info = CertificateInfo.Read(certificate);
        var now = time.GetUtcNow();
        CertificatePolicy.Check(info, now);
        return audited.RunAsync(async db =>
        {
            var name = (registration.Name ?? string.Empty).Trim();
            if (await db.Tsms.AnyAsync(t => t.Name == name, cancellationToken))
            {
                throw new RuleViolationException($"a TSM named '{name}' already exists");
            }

            await RequireUnregisteredAsync(db, info, cancellationToken);
            var tsm = Tsm.Register(registration, info, actor, now);
            db.Tsms.Add(tsm);
            return (tsm, Record("tsm.registered", actor, tsm, new
            {
                tsm.Name,
                tsm.Organisation,
                Contact = new { Name = tsm.ContactName, Email = tsm.ContactEmail, Phone = tsm.ContactPhone },
                State = tsm.State.ToString(),
                Certificate = Describe(info),
                Issuers = tsm.Scope.Select(s => s.Iin).ToArray(),
                tsm.RateLimitPerSecond,
            }));
        }, cancellationToken);
    }

    /// <summary>
    /// Reads a client certificate (PEM or DER) and lists every requirement it misses, among them that it is already
    /// registered to a TSM, without changing anything: what the portal shows before an operator saves.
    /// </summary>
    /// <exception cref="DomainInputException">The content is not one X.509 certificate in PEM or DER form.</exception>
    public async Task<CertificatePreview> PreviewCertificateAsync(byte[] certificate, CancellationToken cancellationToken = default)
    {
        var info = CertificateInfo.Read(certificate);
        var problems = CertificatePolicy.Problems(info, time.GetUtcNow()).ToList();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var owner = await OwnerAsync(db, info, cancellationToken);
        if (owner is not null)
        {
            problems.Add(AlreadyRegistered(owner));
        }

        var (keyType, keySize) = CertificatePolicy.Key(info);
        return new CertificatePreview(info, keyType, keySize, problems);
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

    /// <summary>
    /// Rejects a pending TSM (final), with a reason. Like approval, the deciding operator (<paramref name="approverEmail"/>)
    /// must be an active staff Operator who did not register it.
    /// </summary>
    public Task<Tsm> RejectAsync(string name, string approverEmail, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        audited.RunAsync(async db =>
        {
            var approver = await RequireOperatorAsync(db, approverEmail, cancellationToken);
            var tsm = await FindAsync(db, name, cancellationToken);
            var before = tsm.State;
            tsm.Reject(approver, reason);
            return (tsm, Record("tsm.rejected", actor, tsm, new { Before = before.ToString(), After = tsm.State.ToString(), Approver = approver.Id, Reason = tsm.StateReason }));
        }, cancellationToken);

    /// <summary>
    /// Replaces the issuers (IIN, hex, 1 to 16 bytes) a TSM may request keys for and its rate limit (requests per second;
    /// null for the configured default). Removed issuers and a lower rate apply at once; added issuers and a higher rate
    /// are proposed for a second Operator (once the TSM is approved). The audit record holds the scope before and after
    /// and the proposal.
    /// </summary>
    public Task<Tsm> UpdateScopeAsync(string name, IReadOnlyList<string> issuers, double? rateLimitPerSecond, Actor actor, CancellationToken cancellationToken = default) =>
        audited.RunAsync(async db =>
        {
            var tsm = await FindAsync(db, name, cancellationToken);
            var before = new { Issuers = SortedIssuers(tsm), tsm.RateLimitPerSecond };
            var kept = tsm.Scope.Select(s => s.Id).ToHashSet();
            var split = tsm.SplitScope(issuers, rateLimitPerSecond, options.Value.RateLimit.PermitsPerSecond);
            tsm.UpdateScope(split.ApplyIssuers, split.ApplyRate);

            // New children carry their own (client-generated) key: tell EF they are inserts, not updates.
            foreach (var added in tsm.Scope.Where(s => !kept.Contains(s.Id)))
            {
                db.Add(added);
            }

            TsmChange? proposed = null;
            if (split.ProposedIssuers.Count > 0 || split.RaisesRate)
            {
                proposed = TsmChange.ForScope(tsm.Id, split.ProposedIssuers, split.RaisesRate, split.RequestedRate, actor, time.GetUtcNow());
                db.Add(proposed);
            }

            var after = new { Issuers = SortedIssuers(tsm), tsm.RateLimitPerSecond };
            return (tsm, Record("tsm.scope-updated", actor, tsm, new { Before = before, After = after, Proposed = Proposal(proposed) }));
        }, cancellationToken);

    /// <summary>
    /// Adds a client certificate (PEM or DER) to a TSM, e.g. the successor of one that expires: the same
    /// <see cref="CertificatePolicy"/> as at registration, and a certificate identifies one TSM only. Once the TSM is
    /// approved the certificate is proposed and accepted only after a second Operator approves it.
    /// </summary>
    public Task<Tsm> AddCertificateAsync(string name, byte[] certificate, Actor actor, CancellationToken cancellationToken = default)
    {
        var info = CertificateInfo.Read(certificate);
        var now = time.GetUtcNow();
        CertificatePolicy.Check(info, now);
        return audited.RunAsync(async db =>
        {
            var tsm = await FindAsync(db, name, cancellationToken);
            await RequireUnregisteredAsync(db, info, cancellationToken);
            if (tsm.State == TsmState.PendingApproval)
            {
                db.Add(tsm.AddCertificate(info, now));
                return (tsm, Record("tsm.certificate-added", actor, tsm, new { Certificate = Describe(info) }));
            }

            tsm.RequireCertificateCanBeAdded(info);
            var proposed = TsmChange.ForCertificate(tsm.Id, info, actor, now);
            db.Add(proposed);
            return (tsm, Record("tsm.certificate-proposed", actor, tsm, new { Certificate = Describe(info), Proposed = Proposal(proposed) }));
        }, cancellationToken);
    }

    /// <summary>
    /// Retires a TSM's certificate at <paramref name="retireAt"/> (now or later; until then it is still accepted, so that
    /// the TSM can switch to its successor). A TSM that is not rejected or revoked keeps at least one other certificate
    /// valid at that moment.
    /// </summary>
    public Task<Tsm> RetireCertificateAsync(string name, string sha256Thumbprint, DateTimeOffset retireAt, Actor actor, CancellationToken cancellationToken = default) =>
        audited.RunAsync(async db =>
        {
            var tsm = await FindAsync(db, name, cancellationToken);
            var before = tsm.RetireCertificate(sha256Thumbprint, retireAt, time.GetUtcNow());
            var thumbprint = sha256Thumbprint.Trim().ToUpperInvariant();
            return (tsm, Record("tsm.certificate-retired", actor, tsm, new
            {
                Sha256Thumbprint = thumbprint,
                Before = new { RetiredAt = before },
                After = new { RetiredAt = tsm.Certificates.First(c => c.Sha256Thumbprint == thumbprint).RetiredAt },
            }));
        }, cancellationToken);

    /// <summary>One TSM with its certificates and scope.</summary>
    /// <exception cref="NotFoundException">No TSM has this name.</exception>
    public async Task<Tsm> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Tsms.AsNoTracking().Include(t => t.Certificates).Include(t => t.Scope)
            .FirstOrDefaultAsync(t => t.Name == name, cancellationToken)
            ?? throw new NotFoundException($"no TSM named '{name}'");
    }

    /// <summary>Suspends an active TSM.</summary>
    public Task<Tsm> SuspendAsync(string name, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(name, "tsm.suspended", t => t.Suspend(reason), reason, actor, cancellationToken);

    /// <summary>Proposes to reinstate a suspended TSM; it takes effect when a second Operator approves it.</summary>
    public Task<Tsm> ReinstateAsync(string name, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        audited.RunAsync(async db =>
        {
            var tsm = await FindAsync(db, name, cancellationToken);
            tsm.RequireReinstatable(reason);
            var proposed = TsmChange.ForReinstatement(tsm.Id, reason.Trim(), actor, time.GetUtcNow());
            db.Add(proposed);
            return (tsm, Record("tsm.reinstatement-proposed", actor, tsm, new { State = tsm.State.ToString(), Reason = reason.Trim(), Proposed = Proposal(proposed) }));
        }, cancellationToken);

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

    internal static async Task<Actor> RequireOperatorAsync(TtpDbContext db, string email, CancellationToken cancellationToken)
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

    private static async Task<string?> OwnerAsync(TtpDbContext db, CertificateInfo info, CancellationToken cancellationToken) =>
        await db.TsmCertificates.Where(c => c.Sha256Thumbprint == info.Sha256Thumbprint)
            .Join(db.Tsms, c => c.TsmId, t => t.Id, (c, t) => t.Name)
            .FirstOrDefaultAsync(cancellationToken);

    internal static async Task RequireUnregisteredAsync(TtpDbContext db, CertificateInfo info, CancellationToken cancellationToken)
    {
        var owner = await OwnerAsync(db, info, cancellationToken);
        if (owner is not null)
        {
            throw new RuleViolationException(AlreadyRegistered(owner));
        }
    }

    private static string AlreadyRegistered(string owner) => $"certificate: already registered to TSM '{owner}'";

    private static object? Proposal(TsmChange? change) => change is null ? null : new { ChangeId = change.Id, Kind = change.Kind.ToString(), change.Summary };

    // The database returns a TSM's scope in no particular order: sort it so that audit records compare.
    private static string[] SortedIssuers(Tsm tsm) => [.. tsm.Scope.Select(s => s.Iin).Order(StringComparer.Ordinal)];

    internal static object Describe(CertificateInfo info) =>
        new { info.Sha256Thumbprint, info.Subject, info.Issuer, info.NotBefore, info.NotAfter };

    internal static AuditRecord Record(string action, Actor actor, Tsm tsm, object details) =>
        AuditRecord.StaffAction(action, actor, "tsm:" + tsm.Name, details);
}
