namespace Ttp.Domain.Tsms;

/// <summary>What an operator enters to register a TSM (its client certificate comes separately).</summary>
/// <param name="Name">Unique short name, 1 to 64 characters.</param>
/// <param name="Organisation">The organisation running the TSM; optional.</param>
/// <param name="Issuers">The issuers (IIN, hex) the TSM may request keys for.</param>
/// <param name="Contact">Who to contact at the TSM; optional.</param>
/// <param name="RateLimitPerSecond">The TSM's own request rate; null for the configured default.</param>
public sealed record TsmRegistration(
    string Name,
    string? Organisation,
    IReadOnlyList<string> Issuers,
    TsmContact? Contact = null,
    double? RateLimitPerSecond = null);
