namespace Ttp.Domain.KeyRequests;

/// <summary><c>Ttp:Soap:RateLimit</c>: the token bucket each TSM's key requests draw from (docs/DESIGN.md section 5).</summary>
public sealed class KeyRequestRateLimitOptions
{
    /// <summary>Tokens added per second; a TSM's own <c>RateLimitPerSecond</c> overrides it.</summary>
    public double PermitsPerSecond { get; set; } = 50;

    /// <summary>Bucket size: how many requests a TSM may send at once after a quiet period.</summary>
    public int Burst { get; set; } = 100;
}
