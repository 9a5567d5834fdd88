using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;

namespace Ttp.Domain.Tsms;

/// <summary>
/// The second step of the four-eyes rule for changes that widen a TSM's access (<see cref="TsmChange"/>): list what is
/// proposed, approve (applies it) or reject, by an active Operator who did not propose it. Both steps audited; a
/// proposal that fails its MAC (written or altered in SQL) is refused and raised as an integrity failure.
/// </summary>
public sealed class TsmChangeService(
    IDbContextFactory<TtpDbContext> factory, AuditedTransaction audited, RecordKeyHolder recordKey, IntegrityAlarm alarm, TimeProvider time)
{
    /// <summary>The changes of one TSM (or of every TSM when null), newest first; only pending ones unless told otherwise.</summary>
    public async Task<IReadOnlyList<TsmChange>> ListAsync(string? tsmName = null, bool pendingOnly = true, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.TsmChanges.AsNoTracking();
        if (tsmName is not null)
        {
            var tsm = await db.Tsms.AsNoTracking().FirstOrDefaultAsync(t => t.Name == tsmName, cancellationToken)
                ?? throw new NotFoundException($"no TSM named '{tsmName}'");
            query = query.Where(c => c.TsmId == tsm.Id);
        }

        if (pendingOnly)
        {
            query = query.Where(c => c.State == TsmChangeState.Pending);
        }

        return (await query.ToListAsync(cancellationToken)).OrderByDescending(c => c.ProposedAt).ToList();
    }

    /// <summary>How many changes wait for a second Operator (for the dashboard).</summary>
    public async Task<int> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.TsmChanges.CountAsync(c => c.State == TsmChangeState.Pending, cancellationToken);
    }

    /// <summary>Approves and applies a proposed change; <paramref name="approverEmail"/> must be an active Operator who did not propose it.</summary>
    public Task<Tsm> ApproveAsync(Guid changeId, string approverEmail, Actor actor, CancellationToken cancellationToken = default) =>
        DecideAsync(changeId, approverEmail, actor, approve: true, reason: null, cancellationToken);

    /// <summary>Rejects a proposed change (final), with a reason; nothing is applied.</summary>
    public Task<Tsm> RejectAsync(Guid changeId, string approverEmail, string reason, Actor actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainInputException("reason: a reason is required");
        }

        return DecideAsync(changeId, approverEmail, actor, approve: false, reason.Trim(), cancellationToken);
    }

    private async Task<Tsm> DecideAsync(Guid changeId, string approverEmail, Actor actor, bool approve, string? reason, CancellationToken cancellationToken)
    {
        var authenticator = await recordKey.GetAsync(cancellationToken);
        await using (var probe = await factory.CreateDbContextAsync(cancellationToken))
        {
            var stored = await probe.TsmChanges.AsNoTracking().SingleOrDefaultAsync(c => c.Id == changeId, cancellationToken)
                ?? throw new NotFoundException($"no proposed change {changeId:D}");
            if (!authenticator.IsAuthentic(stored))
            {
                await alarm.RecordsRejectedAsync([stored], cancellationToken);
                throw new IntegrityException($"proposed change {changeId:D} does not match its MAC: it was written or altered outside the product and is refused");
            }
        }

        return await audited.RunAsync(async db =>
        {
            var approver = await TsmService.RequireOperatorAsync(db, approverEmail, cancellationToken);
            var change = await db.TsmChanges.SingleAsync(c => c.Id == changeId, cancellationToken);
            var tsm = await db.Tsms.Include(t => t.Certificates).Include(t => t.Scope).SingleAsync(t => t.Id == change.TsmId, cancellationToken);
            var now = time.GetUtcNow();
            change.Decide(approver, approve, reason, now);
            if (approve)
            {
                await ApplyAsync(db, tsm, change, now, cancellationToken);
            }

            return (tsm, TsmService.Record(approve ? "tsm.change-approved" : "tsm.change-rejected", actor, tsm, new
            {
                ChangeId = change.Id,
                Kind = change.Kind.ToString(),
                change.Summary,
                change.ProposedBy,
                Approver = approver.Id,
                Reason = reason,
                State = tsm.State.ToString(),
                Issuers = tsm.Scope.Select(s => s.Iin).Order(StringComparer.Ordinal).ToArray(),
                tsm.RateLimitPerSecond,
            }));
        }, cancellationToken);
    }

    private static async Task ApplyAsync(TtpDbContext db, Tsm tsm, TsmChange change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (change.Kind)
        {
            case TsmChangeKind.Scope:
                foreach (var entry in tsm.AddIssuers((change.AddedIssuers ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries)))
                {
                    db.Add(entry);
                }

                if (change.SetsRateLimit)
                {
                    tsm.SetRateLimit(change.RateLimitPerSecond);
                }

                break;
            case TsmChangeKind.Certificate:
                var info = CertificateInfo.Read(change.CertificateDer ?? []);
                CertificatePolicy.Check(info, now);
                await TsmService.RequireUnregisteredAsync(db, info, cancellationToken);
                db.Add(tsm.AddCertificate(info, now));
                break;
            case TsmChangeKind.Reinstatement:
                tsm.Reinstate(change.Reason ?? string.Empty);
                break;
            default:
                throw new IntegrityException($"proposed change {change.Id:D} has an unknown kind {(int)change.Kind}");
        }
    }
}
