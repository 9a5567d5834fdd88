namespace Ttp.Domain.Tsms;

/// <summary>A requested scope split into what applies at once and what waits for a second Operator.</summary>
/// <param name="ApplyIssuers">The scope to apply now (the requested one minus the issuers it adds).</param>
/// <param name="ApplyRate">The rate limit to apply now (the current one when the request raises it).</param>
/// <param name="ProposedIssuers">Issuers the request adds: proposed.</param>
/// <param name="RaisesRate">Whether the request raises the effective rate limit: proposed.</param>
/// <param name="RequestedRate">The requested rate limit, validated (null: the default).</param>
internal sealed record ScopeSplit(IReadOnlyList<string> ApplyIssuers, double? ApplyRate, IReadOnlyList<string> ProposedIssuers, bool RaisesRate, double? RequestedRate);
