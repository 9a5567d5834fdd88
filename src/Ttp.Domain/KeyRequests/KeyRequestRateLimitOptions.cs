namespace Ttp.Domain.KeyRequests;

/// <summary><c>Ttp:Soap:RateLimit</c>: the token bucket each TSM's key requests draw from (docs/DESIGN.md section 5).</summary>
public sealed class KeyRequestRateLimitOptions
{
    /// <summary>Tokens added per second; a TSM's own <c>RateLimitPerSecond</c> overrides it.</summary>
    public double PermitsPerSecond { get; set; } = 50;

    /// <summary>Bucket size: how many requests a TSM may send at once after a quiet period.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>
    /// <c>Nodes</c>: how many portal nodes serve SOAP behind one load balancer (OPERATIONS.md "Several nodes"). Each node
    /// keeps its own buckets with this share of the rate (the TSM's own included) and of the burst, so that with the
    /// requests spread evenly over the nodes the service as a whole holds the configured limit. 1 (one node) by default.
    /// </summary>
    public int Nodes { get; set; } = 1;

    /// <summary>This node's share of <paramref name="permitsPerSecond"/> (a service-wide rate).</summary>
    public double NodeShareOf(double permitsPerSecond) => permitsPerSecond / Math.Max(1, Nodes);

    /// <summary>This node's bucket size: its share of <see cref="Burst"/>, at least 1.</summary>
    public double NodeBurst => Math.Max(1, (double)Burst / Math.Max(1, Nodes));
}
