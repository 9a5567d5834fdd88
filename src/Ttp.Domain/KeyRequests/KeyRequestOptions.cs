namespace Ttp.Domain.KeyRequests;

/// <summary>
/// Section <c>Ttp:Soap</c> as the key-request use case reads it: the public URL a card's Security Domain Manager URL
/// (tag 5F50) must name, and the per-TSM rate limit. (The SOAP edge may bind other keys of the same section.)
/// </summary>
public sealed class KeyRequestOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ttp:Soap";

    /// <summary>
    /// <c>Ttp:Soap:PublicUrl</c>: this TTP's URL as personalised in cards (tag 5F50). When set, a request that carries a
    /// <c>SecurityDomainManagerUrl</c> must name it (scheme and host compared without regard to case, a trailing slash
    /// ignored); empty: not checked.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary><c>Ttp:Soap:RateLimit</c>: the per-TSM token bucket.</summary>
    public KeyRequestRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>The first configuration error, naming the key; null when the options are valid.</summary>
    public string? Validate()
    {
        if (!string.IsNullOrWhiteSpace(PublicUrl) && !Uri.TryCreate(PublicUrl, UriKind.Absolute, out _))
        {
            return "Ttp:Soap:PublicUrl must be an absolute URL (or empty to skip the check)";
        }

        if (!(RateLimit.PermitsPerSecond > 0) || double.IsInfinity(RateLimit.PermitsPerSecond))
        {
            return "Ttp:Soap:RateLimit:PermitsPerSecond must be a positive number";
        }

        if (RateLimit.Nodes is < 1 or > 64)
        {
            return $"Ttp:Soap:RateLimit:Nodes must be between 1 and 64 (is {RateLimit.Nodes})";
        }

        return RateLimit.Burst < 1 ? "Ttp:Soap:RateLimit:Burst must be at least 1" : null;
    }
}
