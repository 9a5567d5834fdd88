using System.Collections.Concurrent;
using System.Globalization;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Alerts;

/// <summary>What the alert table already says about a condition: an open alert, and when it was last acknowledged.</summary>
internal sealed record PriorAlert(bool Open, DateTimeOffset? LastAcknowledgedAt);

/// <summary>
/// The key-request rules, evaluated over the new records of one scan and the history they need (<see cref="AlertHistory"/>).
/// Windows are measured from the newest new record of the TSM, not from the clock, so that a scan catching up on a
/// backlog judges each burst as it happened. After an acknowledgement only records after it count, so an acknowledged
/// condition raises a new alert only when it recurs.
/// </summary>
internal sealed class AlertRules(
    AlertHistory history,
    AlertOptions options,
    IReadOnlyDictionary<string, PriorAlert> prior,
    Func<long, Task<bool>> isIntact,
    ConcurrentDictionary<(string Tsm, long Hour), double> baselines)
{
    private const int BaselineHours = 7 * 24;
    private static readonly TimeSpan Microsecond = TimeSpan.FromTicks(10);

    /// <summary>The dedupe keys the rules may raise for <paramref name="facts"/> (to look up <see cref="PriorAlert"/>s first).</summary>
    public static IEnumerable<string> CandidateKeys(IReadOnlyList<KeyRequestFact> facts)
    {
        foreach (var fact in facts)
        {
            if (fact.Tsm is null)
            {
                continue;
            }

            yield return RateKey(fact.Tsm);
            if (fact.Outcome == AuditRecord.OutcomeOk)
            {
                if (fact.Iin is not null && fact.Kdd is not null)
                {
                    yield return CardKey(fact.Iin, fact.Kdd);
                }
            }
            else
            {
                yield return FaultKey(fact.Tsm, fact.Outcome);
            }
        }
    }

    /// <summary>Cards answered (<c>ok</c>) to two or more TSMs, each TSM's latest record checked against its hash.</summary>
    public async Task<List<AlertFinding>> SameCardAsync(IReadOnlyList<KeyRequestFact> facts, CancellationToken cancellationToken)
    {
        var findings = new List<AlertFinding>();
        var answered = facts.Where(f => f.Outcome == AuditRecord.OutcomeOk && f.Tsm is not null && f.Iin is not null && f.Kdd is not null)
            .GroupBy(f => (Iin: f.Iin!, Kdd: f.Kdd!)).ToDictionary(g => g.Key, g => g.ToList());
        if (answered.Count == 0)
        {
            return findings;
        }

        var requesters = await history.CardRequestersAsync([.. answered.Keys.Select(k => k.Kdd).Distinct(StringComparer.Ordinal)], cancellationToken);
        foreach (var ((iin, kdd), news) in answered)
        {
            var key = CardKey(iin, kdd);
            var since = Since(key);
            var tsms = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var requester in requesters.Where(r => r.Iin == iin && r.Kdd == kdd && (since is null || r.LatestAt > since)))
            {
                if (await isIntact(requester.LatestSequence))
                {
                    tsms[requester.Tsm] = requester.LatestSequence;
                }
            }

            if (tsms.Count < 2)
            {
                continue;
            }

            findings.Add(new AlertFinding(
                AlertKind.SameCardTwoTsms, key, $"card:{iin}/{kdd}",
                $"card IIN {iin} KDD {kdd} was answered to {tsms.Count} TSMs: {string.Join(", ", tsms.Keys)}",
                AuditRecord.SerializeDetails(new { Iin = iin, Kdd = kdd, Tsms = tsms.Keys.ToArray() }),
                news.Min(f => f.At), news.Max(f => f.At), news.Count,
                [.. tsms.Values.Concat(news.Select(f => f.Sequence)).Distinct().Order()]));
        }

        return findings;
    }

    /// <summary>TSMs whose requests in the hour up to their newest new record exceed the factor times their usual hourly rate.</summary>
    public async Task<List<AlertFinding>> RateAsync(IReadOnlyList<KeyRequestFact> facts, CancellationToken cancellationToken)
    {
        var findings = new List<AlertFinding>();
        foreach (var group in facts.Where(f => f.Tsm is not null).GroupBy(f => f.Tsm!, StringComparer.Ordinal))
        {
            var tsm = group.Key;
            var newest = group.MaxBy(f => f.At)!;
            var end = newest.At + Microsecond;
            var start = Later(newest.At - TimeSpan.FromHours(1) + Microsecond, Since(RateKey(tsm)));
            var lastHour = await history.CountAsync(tsm, null, start, end, cancellationToken);
            if (lastHour < options.RateMinimumPerHour)
            {
                continue;
            }

            var average = await HourlyAverageAsync(tsm, newest.At, cancellationToken);
            if (lastHour <= options.RateFactor * average)
            {
                continue;
            }

            findings.Add(new AlertFinding(
                AlertKind.RequestRate, RateKey(tsm), "tsm:" + tsm,
                string.Create(CultureInfo.InvariantCulture,
                    $"TSM {tsm}: {lastHour} key requests in the hour to {newest.At:yyyy-MM-dd HH:mm} UTC, usually {average:0.#} per hour (previous 7 days)"),
                AuditRecord.SerializeDetails(new
                {
                    Tsm = tsm, LastHour = lastHour, HourlyAverage = Math.Round(average, 2), options.RateFactor, options.RateMinimumPerHour,
                }),
                newest.At, newest.At, 1, [newest.Sequence]));
        }

        return findings;
    }

    /// <summary>(TSM, refusal) pairs with at least the configured count of records in the window up to their newest new one.</summary>
    public async Task<List<AlertFinding>> FaultsAsync(IReadOnlyList<KeyRequestFact> facts, CancellationToken cancellationToken)
    {
        var findings = new List<AlertFinding>();
        var window = TimeSpan.FromMinutes(options.FaultWindowMinutes);
        foreach (var group in facts.Where(f => f.Tsm is not null && f.Outcome != AuditRecord.OutcomeOk).GroupBy(f => (Tsm: f.Tsm!, f.Outcome)))
        {
            var (tsm, outcome) = group.Key;
            var key = FaultKey(tsm, outcome);
            var newest = group.MaxBy(f => f.At)!;
            var start = Later(newest.At - window + Microsecond, Since(key));
            var count = await history.CountAsync(tsm, outcome, start, newest.At + Microsecond, cancellationToken);
            if (count < options.FaultCount)
            {
                continue;
            }

            var open = prior.TryGetValue(key, out var known) && known.Open;
            findings.Add(new AlertFinding(
                AlertKind.RepeatedFaults, key, "tsm:" + tsm,
                string.Create(CultureInfo.InvariantCulture,
                    $"TSM {tsm}: {count} key requests refused with {outcome} within {options.FaultWindowMinutes} minutes"),
                AuditRecord.SerializeDetails(new { Tsm = tsm, Outcome = outcome, Count = count, WindowMinutes = options.FaultWindowMinutes }),
                group.Min(f => f.At), newest.At, open ? group.Count() : count, [.. group.Select(f => f.Sequence)]));
        }

        return findings;
    }

    public static string CardKey(string iin, string kdd) => AlertFinding.KeyOf($"same-card:{iin}:{kdd}");

    public static string RateKey(string tsm) => AlertFinding.KeyOf("rate:" + tsm);

    public static string FaultKey(string tsm, string outcome) => AlertFinding.KeyOf($"faults:{tsm}:{outcome}");

    // Only records after the last acknowledgement count, unless an alert is open (then it simply recurs).
    private DateTimeOffset? Since(string key) =>
        prior.TryGetValue(key, out var known) && !known.Open ? known.LastAcknowledgedAt : null;

    private static DateTimeOffset Later(DateTimeOffset start, DateTimeOffset? since) =>
        since is { } acknowledged && acknowledged >= start ? acknowledged + Microsecond : start;

    // The average over the 7 days before the hour of `at`: one query per TSM and hour, then cached.
    private async Task<double> HourlyAverageAsync(string tsm, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var hour = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
        if (baselines.TryGetValue((tsm, hour.UtcTicks), out var cached))
        {
            return cached;
        }

        var total = await history.CountAsync(tsm, null, hour - TimeSpan.FromHours(BaselineHours), hour, cancellationToken);
        var average = (double)total / BaselineHours;
        if (baselines.Count > 10_000)
        {
            baselines.Clear();
        }

        baselines[(tsm, hour.UtcTicks)] = average;
        return average;
    }
}
