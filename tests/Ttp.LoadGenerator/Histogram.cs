namespace Ttp.LoadGenerator;

/// <summary>
/// Latencies in fixed 10 µs buckets up to 2 s (one overflow bucket above), preallocated: recording is an increment,
/// no allocation. One per worker and target, merged at the end.
/// </summary>
internal sealed class Histogram
{
    private const int BucketMicros = 10;
    private const int Buckets = 200_000;

    private readonly int[] counts = new int[Buckets + 1];

    public long Count { get; private set; }

    public long MaxMicros { get; private set; }

    public void Record(long micros)
    {
        var bucket = micros / BucketMicros;
        counts[bucket < Buckets ? (int)bucket : Buckets]++;
        Count++;
        if (micros > MaxMicros)
        {
            MaxMicros = micros;
        }
    }

    public void Add(Histogram other)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] += other.counts[i];
        }

        Count += other.Count;
        MaxMicros = Math.Max(MaxMicros, other.MaxMicros);
    }

    /// <summary>The latency at quantile <paramref name="q"/> (0..1) in milliseconds: the upper edge of its bucket.</summary>
    public double QuantileMs(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(q * Count);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return i == Buckets ? MaxMicros / 1000.0 : Math.Min((i + 1) * BucketMicros, MaxMicros) / 1000.0;
            }
        }

        return MaxMicros / 1000.0;
    }
}
