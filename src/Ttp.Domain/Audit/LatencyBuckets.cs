namespace Ttp.Domain.Audit;

/// <summary>
/// The log-scale latency buckets of the activity charts: four per doubling, bucket <c>k</c> holding the latencies
/// <c>L</c> (whole microseconds) with <c>Lower(k) &lt;= L &lt; Lower(k + 1)</c>, where <c>Lower(k) = ceil(2^(k/4))</c>.
/// A percentile computed from bucket counts is known only to its bucket: it is reported as the bucket's upper bound,
/// at most 19% (2^(1/4)) above the true value. Integer bounds, so that the bucket of a value never depends on floating
/// point rounding.
/// </summary>
public static class LatencyBuckets
{
    /// <summary>The bucket of a missing latency (not counted in percentiles).</summary>
    public const int Unknown = -1;

    /// <summary>Buckets per doubling.</summary>
    public const int PerDoubling = 4;

    // Lower bounds up to 2^40 µs (12 days): far beyond any latency; larger values fall in the last bucket.
    private static readonly long[] Lower = [.. Enumerable.Range(0, 40 * PerDoubling + 1)
        .Select(k => (long)Math.Ceiling(Math.Pow(2, k / (double)PerDoubling) - 1e-9))];

    /// <summary>The bucket of <paramref name="microseconds"/> (0 for 1 µs or less), or <see cref="Unknown"/> when null.</summary>
    public static int Of(long? microseconds)
    {
        if (microseconds is not { } value)
        {
            return Unknown;
        }

        if (value <= 1)
        {
            return 0;
        }

        // The last k with Lower[k] <= value.
        var index = Array.BinarySearch(Lower, value);
        if (index < 0)
        {
            index = ~index - 1;
        }
        else
        {
            while (index + 1 < Lower.Length && Lower[index + 1] == value)
            {
                index++;
            }
        }

        return Math.Min(index, Lower.Length - 2);
    }

    /// <summary>The exclusive upper bound of bucket <paramref name="bucket"/> in microseconds.</summary>
    public static long UpperBound(int bucket) => Lower[Math.Clamp(bucket, 0, Lower.Length - 2) + 1];
}
