using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;

namespace Ttp.Domain.Alerts;

/// <summary>
/// The alerts for people: the list, the open count, and acknowledging one (Auditors and Security officers only, checked
/// here against the actor's account; audited as <c>alert.acknowledged</c> in the same transaction; refused twice).
/// </summary>
public sealed class AlertService(IDbContextFactory<TtpDbContext> factory, AuditedTransaction audited, TimeProvider time)
{
    /// <summary>The staff action that records an acknowledgement.</summary>
    public const string AcknowledgedAction = "alert.acknowledged";

    /// <summary>The most alerts one list returns.</summary>
    public const int MaxList = 500;

    private const string StaffPrefix = "user:";

    /// <summary>The audit subject of an alert: <c>alert:&lt;id&gt;</c>.</summary>
    public static string SubjectOf(Guid id) => "alert:" + id.ToString("D");

    /// <summary>Open alerts (and, when asked, acknowledged ones too), latest occurrence first.</summary>
    public async Task<IReadOnlyList<AuditAlert>> ListAsync(bool includeAcknowledged = false, int limit = 200, CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > MaxList)
        {
            throw new DomainInputException($"limit: expected 1 to {MaxList}, found {limit}");
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditAlerts.AsNoTracking();
        if (!includeAcknowledged)
        {
            query = query.Where(a => a.State == AlertState.Open);
        }

        // Open first; the instants are integer microseconds on SQLite (UnixMicrosecondsConverter), so both databases sort them.
        return await query.OrderBy(a => a.State).ThenByDescending(a => a.LastSeen).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>How many alerts are open.</summary>
    public async Task<int> OpenCountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AuditAlerts.CountAsync(a => a.State == AlertState.Open, cancellationToken);
    }

    /// <summary>
    /// Acknowledges an open alert as <paramref name="actor"/>, with an optional <paramref name="note"/> (up to
    /// <see cref="AuditAlert.MaxNoteLength"/> characters, one line).
    /// </summary>
    /// <exception cref="DomainInputException">The note is too long or holds a control character.</exception>
    /// <exception cref="NotFoundException">No such alert.</exception>
    /// <exception cref="RuleViolationException">The actor is no active Auditor or Security officer, or the alert is already acknowledged.</exception>
    public Task<AuditAlert> AcknowledgeAsync(Guid alertId, Actor actor, string? note, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var cleanNote = CleanNote(note);
        return audited.RunAsync(async db =>
        {
            await RequireReviewerAsync(db, actor, cancellationToken);
            var alert = await db.AuditAlerts.SingleOrDefaultAsync(a => a.Id == alertId, cancellationToken)
                ?? throw new NotFoundException($"alert {alertId:D} does not exist");
            alert.Acknowledge(actor, time.GetUtcNow(), cleanNote);
            return (alert, Ttp.Domain.Audit.AuditRecord.StaffAction(AcknowledgedAction, actor, SubjectOf(alert.Id),
                new { alert.Kind, Condition = alert.DedupeKey, Concerns = alert.Subject, Note = cleanNote }));
        }, cancellationToken);
    }

    private static string? CleanNote(string? note)
    {
        var trimmed = note?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > AuditAlert.MaxNoteLength)
        {
            throw new DomainInputException($"note: at most {AuditAlert.MaxNoteLength} characters, found {trimmed.Length}");
        }

        if (trimmed.Any(char.IsControl))
        {
            throw new DomainInputException("note: one line without control characters");
        }

        return trimmed;
    }

    private static async Task RequireReviewerAsync(TtpDbContext db, Actor actor, CancellationToken cancellationToken)
    {
        if (actor.Id.StartsWith(StaffPrefix, StringComparison.Ordinal))
        {
            var normalized = actor.Id[StaffPrefix.Length..].ToUpperInvariant();
            var holds = await (from u in db.Users
                               join ur in db.UserRoles on u.Id equals ur.UserId
                               join r in db.Roles on ur.RoleId equals r.Id
                               where u.NormalizedEmail == normalized && !u.IsDisabled
                                     && (r.Name == StaffRoles.Auditor || r.Name == StaffRoles.SecurityOfficer)
                               select r.Id).AnyAsync(cancellationToken);
            if (holds)
            {
                return;
            }
        }

        throw new RuleViolationException($"{actor.Id} is not an active Auditor or Security officer; acknowledging an alert needs one");
    }
}
