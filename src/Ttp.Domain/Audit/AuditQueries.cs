using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Read-only views of the audit trail for the portal: a subject's timeline, the latest staff actions, key requests and
/// faults per hour. Nothing here changes the trail; verifying it is <see cref="AuditVerifier"/>'s job.
/// </summary>
public sealed class AuditQueries(IDbContextFactory<TtpDbContext> factory, TimeProvider time)
{
    /// <summary>The events recorded about <paramref name="subject"/> (e.g. <c>tsm:acme</c>), newest first.</summary>
    public async Task<IReadOnlyList<AuditEvent>> ForSubjectAsync(string subject, int limit = 200, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AuditEvents.AsNoTracking().Where(e => e.Subject == subject)
            .OrderByDescending(e => e.Sequence).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The staff actions recorded about <paramref name="subject"/>, newest first: a key set's timeline without the key
    /// requests that name the same subject.
    /// </summary>
    public async Task<IReadOnlyList<AuditEvent>> StaffActionsForSubjectAsync(string subject, int limit = 200, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AuditEvents.AsNoTracking().Where(e => e.Subject == subject && e.Stream == AuditStream.StaffAction)
            .OrderByDescending(e => e.Sequence).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>The latest staff actions, newest first.</summary>
    public async Task<IReadOnlyList<AuditEvent>> RecentStaffActionsAsync(int limit = 10, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AuditEvents.AsNoTracking().Where(e => e.Stream == AuditStream.StaffAction)
            .OrderByDescending(e => e.Sequence).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Key requests answered (<c>ok</c>) and refused (any other outcome) in each of the last <paramref name="hours"/>
    /// UTC clock hours, oldest first; the last one is the current hour (so far). The same aggregation as the activity
    /// charts (<see cref="KeyRequestStatistics"/>: the rollup plus the records after its watermark).
    /// </summary>
    public async Task<IReadOnlyList<KeyRequestHour>> KeyRequestsPerHourAsync(int hours = 24, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        var now = time.GetUtcNow();
        var end = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero).AddHours(1);
        var activity = await new KeyRequestStatistics(factory).GetAsync(end.AddHours(-hours), end, ActivityGranularity.Hour, cancellationToken);
        return [.. activity.Periods.Select(p => new KeyRequestHour(p.Start.AddHours(1), (int)p.Answered, (int)p.Refused))];
    }

    /// <summary>
    /// Key requests answered and refused per UTC day and TSM (the <c>tsm</c> of the record's details; empty when the
    /// caller was never identified) from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive),
    /// counted by the database (GROUP BY), oldest day first, then by TSM.
    /// </summary>
    public Task<IReadOnlyList<KeyRequestDay>> KeyRequestsPerDayAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        if (to <= from)
        {
            throw new ArgumentException("to: expected after from.", nameof(to));
        }

        return KeyRequestCounts.PerDayAsync(factory, from, to, cancellationToken);
    }
}

/// <summary>Key requests of one TSM on one UTC day.</summary>
public sealed record KeyRequestDay(DateOnly Day, string Tsm, int Answered, int Refused);

/// <summary>Key requests in the UTC hour ending at <paramref name="HourEnding"/>.</summary>
/// <param name="HourEnding">The end of the hour (UTC).</param>
/// <param name="Answered">Requests answered with keys.</param>
/// <param name="Refused">Requests answered with a fault.</param>
public sealed record KeyRequestHour(DateTimeOffset HourEnding, int Answered, int Refused);
