namespace Ttp.Domain.Audit;

/// <summary>The width of one period of the activity charts.</summary>
public enum ActivityGranularity
{
    /// <summary>One UTC hour.</summary>
    Hour,

    /// <summary>One UTC day.</summary>
    Day,
}

/// <summary>
/// Key-request statistics over [<paramref name="From"/>, <paramref name="To"/>) (whole UTC hours), one entry per
/// period, oldest first, empty periods included.
/// </summary>
/// <param name="From">The first instant counted (a whole UTC hour).</param>
/// <param name="To">The end of the range (exclusive, a whole UTC hour).</param>
/// <param name="Granularity">The width of each period.</param>
/// <param name="Periods">The periods, oldest first.</param>
/// <param name="Complete">False when more records waited after the rollup's watermark than the charts read at once:
/// the most recent records are then not all counted until the rollup catches up.</param>
public sealed record KeyRequestActivity(
    DateTimeOffset From, DateTimeOffset To, ActivityGranularity Granularity, IReadOnlyList<KeyRequestPeriod> Periods, bool Complete)
{
    /// <summary>Every TSM seen in the range, busiest first (then by name).</summary>
    public IReadOnlyList<string> Tsms => [.. Periods.SelectMany(p => p.PerTsm)
        .GroupBy(p => p.Key, StringComparer.Ordinal).OrderByDescending(g => g.Sum(p => p.Value)).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key)];

    /// <summary>Every fault code seen in the range (outcomes other than <c>ok</c>), by name.</summary>
    public IReadOnlyList<string> FaultCodes => [.. Periods.SelectMany(p => p.PerOutcome.Keys)
        .Where(o => o != AuditRecord.OutcomeOk).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

/// <summary>The key requests of one period.</summary>
/// <param name="Start">The period's first instant (UTC).</param>
/// <param name="PerTsm">Requests per TSM (empty name: caller never identified).</param>
/// <param name="PerOutcome">Requests per outcome (<c>ok</c> or a fault code).</param>
/// <param name="Latency">The latency histogram of the answered (<c>ok</c>) requests.</param>
public sealed record KeyRequestPeriod(
    DateTimeOffset Start, IReadOnlyDictionary<string, long> PerTsm, IReadOnlyDictionary<string, long> PerOutcome, LatencyHistogram Latency)
{
    /// <summary>All requests of the period.</summary>
    public long Total => PerOutcome.Values.Sum();

    /// <summary>Requests answered with keys.</summary>
    public long Answered => PerOutcome.GetValueOrDefault(AuditRecord.OutcomeOk);

    /// <summary>Requests answered with a fault.</summary>
    public long Refused => Total - Answered;

    /// <summary>The percentage of the period's requests refused with <paramref name="faultCode"/> (0 when none).</summary>
    public double FaultPercent(string faultCode) => Total == 0 ? 0 : 100.0 * PerOutcome.GetValueOrDefault(faultCode) / Total;
}

/// <summary>
/// Counts per latency bucket (<see cref="LatencyBuckets"/>). A percentile is the upper bound of the bucket that holds
/// it: an upper estimate, at most 19% above the true value.
/// </summary>
public sealed class LatencyHistogram(IReadOnlyDictionary<int, long> counts)
{
    /// <summary>Counts per bucket (the unknown bucket excluded).</summary>
    public IReadOnlyDictionary<int, long> Counts { get; } = counts.Where(c => c.Key != LatencyBuckets.Unknown && c.Value > 0)
        .ToDictionary(c => c.Key, c => c.Value);

    /// <summary>The requests with a known latency.</summary>
    public long Count => Counts.Values.Sum();

    /// <summary>
    /// The <paramref name="percentile"/> (0 &lt; p &lt;= 100, nearest rank) as the exclusive upper bound of its bucket
    /// in microseconds; null when the histogram is empty.
    /// </summary>
    public long? PercentileMicroseconds(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var total = Count;
        if (total == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(percentile / 100 * total);
        long seen = 0;
        foreach (var (bucket, count) in Counts.OrderBy(c => c.Key))
        {
            seen += count;
            if (seen >= rank)
            {
                return LatencyBuckets.UpperBound(bucket);
            }
        }

        return LatencyBuckets.UpperBound(Counts.Keys.Max());
    }
}
