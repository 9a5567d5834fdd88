using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Ceremonies;

/// <summary>One ceremony as staff see it in a list: who, what, how far, until when; never a component or a partial.</summary>
/// <param name="Id">The ceremony.</param>
/// <param name="Kind">What it produces.</param>
/// <param name="State">Its state as stored (an in-progress ceremony past <paramref name="ExpiresAt"/> is expired at its next step).</param>
/// <param name="Label">The key, e.g. "issuer key set A0000001/1".</param>
/// <param name="ComponentsReceived">Components folded in so far.</param>
/// <param name="ComponentsExpected">Components the key is split into.</param>
/// <param name="NamedCustodians">The custodians named when it was opened (empty: any Key custodian).</param>
/// <param name="EnteredBy">Who entered components so far, in component order.</param>
/// <param name="OpenedBy">The Security officer who opened it.</param>
/// <param name="OpenedAt">When.</param>
/// <param name="ExpiresAt">When it expires.</param>
public sealed record CeremonySummary(
    Guid Id,
    CeremonyKind Kind,
    CeremonyState State,
    string Label,
    int ComponentsReceived,
    int ComponentsExpected,
    IReadOnlyList<string> NamedCustodians,
    IReadOnlyList<string> EnteredBy,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    DateTimeOffset ExpiresAt);

/// <summary>Whether a staff member may enter or receive the next component of a ceremony, and if not, why.</summary>
public sealed record CeremonyEligibility(bool MayAct, string? Reason);

/// <summary>Read side of the ceremonies (ttpctl, pages): lists, a custodian's tasks, eligibility; changes nothing.</summary>
public sealed class CeremonyQueries(IDbContextFactory<TtpDbContext> factory)
{
    /// <summary>Whether <paramref name="actor"/> may enter (or receive) the ceremony's next component, by the service's own rules.</summary>
    public async Task<CeremonyEligibility> EligibilityAsync(Guid ceremonyId, Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var ceremony = await db.Ceremonies.AsNoTracking().FirstOrDefaultAsync(c => c.Id == ceremonyId, cancellationToken)
            ?? throw new NotFoundException($"no ceremony {ceremonyId:D}");
        var reason = await CeremonyStaff.WhyNotAsync(db, ceremony, actor, cancellationToken);
        return new CeremonyEligibility(reason is null, reason);
    }

    /// <summary>
    /// The ceremonies in progress that wait for <paramref name="actor"/>: those whose next component they may enter or
    /// receive, and generated components they received but have not acknowledged yet.
    /// </summary>
    public async Task<IReadOnlyList<CeremonySummary>> TasksForAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var inProgress = await ListAsync(includeClosed: false, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var ids = inProgress.Select(c => c.Id).ToList();
        var unacknowledged = (await db.CeremonyComponents.AsNoTracking()
            .Where(c => ids.Contains(c.CeremonyId) && c.Custodian == actor.Id && c.AcknowledgedAt == null)
            .Select(c => c.CeremonyId).ToListAsync(cancellationToken)).ToHashSet();
        var ceremonies = await db.Ceremonies.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var tasks = new List<CeremonySummary>();
        foreach (var summary in inProgress)
        {
            var waiting = summary.Kind == CeremonyKind.GenerateKek && unacknowledged.Contains(summary.Id);
            if (waiting || await CeremonyStaff.WhyNotAsync(db, ceremonies[summary.Id], actor, cancellationToken) is null)
            {
                tasks.Add(summary);
            }
        }

        return tasks;
    }

    /// <summary>Ceremonies, newest first: those in progress, or every one with <paramref name="includeClosed"/>.</summary>
    public async Task<IReadOnlyList<CeremonySummary>> ListAsync(bool includeClosed = false, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var query = db.Ceremonies.AsNoTracking();
        if (!includeClosed)
        {
            query = query.Where(c => c.State == CeremonyState.Open || c.State == CeremonyState.CollectingComponents || c.State == CeremonyState.AwaitingConfirmation);
        }

        var ceremonies = (await query.ToListAsync(cancellationToken)).OrderByDescending(c => c.OpenedAt).ToList();
        var ids = ceremonies.Select(c => c.Id).ToList();
        var entered = (await db.CeremonyComponents.AsNoTracking().Where(c => ids.Contains(c.CeremonyId)).ToListAsync(cancellationToken))
            .GroupBy(c => c.CeremonyId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.OrderBy(c => c.Number).Select(c => c.Custodian)]);
        return [.. ceremonies.Select(c => new CeremonySummary(
            c.Id, c.Kind, c.State, c.Label, c.ComponentsReceived, c.ComponentsExpected, c.NamedCustodians,
            entered.GetValueOrDefault(c.Id, []), c.OpenedBy, c.OpenedAt, c.ExpiresAt))];
    }
}
