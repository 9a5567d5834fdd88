using Microsoft.Extensions.Options;

namespace Ttp.Domain.KeyRequests;

/// <summary>
/// One token bucket per TSM (docs/DESIGN.md section 5): <see cref="KeyRequestRateLimitOptions.Burst"/> tokens, refilled at
/// the TSM's own rate or <see cref="KeyRequestRateLimitOptions.PermitsPerSecond"/>. In memory, per process: with
/// <see cref="KeyRequestRateLimitOptions.Nodes"/> nodes each holds that share of the rate and the burst, so that the
/// service-wide limit holds when the load balancer spreads a TSM's requests evenly (OPERATIONS.md "Several nodes").
/// </summary>
public sealed class TsmRateLimiter(IOptions<KeyRequestOptions> options, TimeProvider time)
{
    private readonly Dictionary<Guid, Bucket> _buckets = [];
    private readonly Lock _gate = new();

    /// <summary>Takes one token from <paramref name="tsmId"/>'s bucket; false when it is empty.</summary>
    /// <param name="tsmId">The TSM.</param>
    /// <param name="permitsPerSecond">The TSM's own rate, or null for the configured default.</param>
    public bool TryAcquire(Guid tsmId, double? permitsPerSecond)
    {
        var settings = options.Value.RateLimit;
        var rate = settings.NodeShareOf(permitsPerSecond is > 0 ? permitsPerSecond.Value : settings.PermitsPerSecond);
        var capacity = settings.NodeBurst;
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (!_buckets.TryGetValue(tsmId, out var bucket))
            {
                bucket = new Bucket { Tokens = capacity, Stamp = now };
                _buckets[tsmId] = bucket;
            }

            var elapsed = time.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            bucket.Tokens = Math.Min(capacity, bucket.Tokens + (Math.Max(0, elapsed) * rate));
            bucket.Stamp = now;
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public long Stamp { get; set; }
    }
}
