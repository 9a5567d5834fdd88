using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Ceremonies;

/// <summary>Expiry of ceremonies: checked on every step, and for all overdue ones at once (scheduled work, <c>ttpctl ceremony list</c>).</summary>
public sealed partial class CeremonyService
{
    /// <summary>Expires every ceremony past its expiry (scheduled work); returns how many.</summary>
    public async Task<int> ExpireOverdueAsync(CancellationToken cancellationToken = default)
    {
        List<Guid> overdue;
        var now = time.GetUtcNow();
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            overdue = (await db.Ceremonies.AsNoTracking().Where(c => c.State <= CeremonyState.AwaitingConfirmation).Select(c => new { c.Id, c.ExpiresAt }).ToListAsync(cancellationToken))
                .Where(c => c.ExpiresAt <= now).Select(c => c.Id).ToList();
        }

        var expired = 0;
        foreach (var id in overdue)
        {
            try
            {
                await audited.RunAsync(async db =>
                {
                    var ceremony = await FindAsync(db, id, cancellationToken);
                    return (true, ExpireIfOverdue(ceremony) ?? throw new RuleViolationException($"ceremony {id:D} is {ceremony.State}"));
                }, cancellationToken);
                expired++;
            }
            catch (RuleViolationException)
            {
                // Closed by another step since the list was read: nothing to expire, nothing written.
            }
        }

        return expired;
    }

    /// <summary>Expires the ceremony when it is overdue; returns the record, or null when it is not overdue.</summary>
    private AuditRecord? ExpireIfOverdue(Ceremony ceremony)
    {
        var now = time.GetUtcNow();
        if (!ceremony.IsInProgress || now < ceremony.ExpiresAt)
        {
            return null;
        }

        var before = ceremony.State;
        ceremony.Expire(Actor.System, now);
        return Record("ceremony.expired", Actor.System, ceremony, new { Before = before.ToString(), ceremony.ExpiresAt, Received = ceremony.ComponentsReceived });
    }
}
