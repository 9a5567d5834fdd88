namespace Ttp.Domain.Tsms;

/// <summary>
/// A Trusted Service Manager accredited (or being accredited) to receive card keys. State changes only through the
/// methods below, which enforce the four-eyes rule: the actor who registered a TSM cannot approve it.
/// </summary>
public sealed class Tsm
{
    private readonly List<TsmCertificate> _certificates = [];
    private readonly List<TsmIssuerScope> _scope = [];

    private Tsm()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Unique short name, used by operators and in the audit chain.</summary>
    public string Name { get; private set; } = string.Empty;

    public string? Organisation { get; private set; }

    public TsmState State { get; private set; }

    /// <summary>The reason given for the last suspension, reinstatement, revocation or rejection.</summary>
    public string? StateReason { get; private set; }

    public string RegisteredBy { get; private set; } = string.Empty;

    public DateTimeOffset RegisteredAt { get; private set; }

    public string? ApprovedBy { get; private set; }

    public DateTimeOffset? ApprovedAt { get; private set; }

    /// <summary>Per-TSM request rate (token bucket permits per second); null for the configured default.</summary>
    public double? RateLimitPerSecond { get; private set; }

    public IReadOnlyList<TsmCertificate> Certificates => _certificates;

    /// <summary>The issuers (and optionally key versions) this TSM may ask keys for.</summary>
    public IReadOnlyList<TsmIssuerScope> Scope => _scope;

    /// <summary>Registers a TSM, pending a second operator's approval.</summary>
    public static Tsm Register(string name, string? organisation, CertificateInfo certificate, IEnumerable<string> issuers, Actor actor, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64)
        {
            throw new DomainInputException("name: expected 1 to 64 characters");
        }

        var tsm = new Tsm
        {
            Id = Guid.NewGuid(),
            Name = name.Trim(),
            Organisation = string.IsNullOrWhiteSpace(organisation) ? null : organisation.Trim(),
            State = TsmState.PendingApproval,
            RegisteredBy = actor.Id,
            RegisteredAt = now,
        };
        tsm._certificates.Add(new TsmCertificate(tsm.Id, certificate, now));
        foreach (var iin in issuers.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            tsm._scope.Add(new TsmIssuerScope(tsm.Id, iin));
        }

        return tsm;
    }

    /// <summary>Approves the TSM. The approver must not be the actor who registered it.</summary>
    public void Approve(Actor approver, DateTimeOffset now)
    {
        RequireState(TsmState.PendingApproval, "approved");
        if (string.Equals(approver.Id, RegisteredBy, StringComparison.OrdinalIgnoreCase))
        {
            throw new RuleViolationException($"TSM '{Name}' was registered by {RegisteredBy}; a second operator must approve it");
        }

        State = TsmState.Active;
        ApprovedBy = approver.Id;
        ApprovedAt = now;
        StateReason = null;
    }

    /// <summary>Rejects the TSM at approval; the rejecting operator must not be the one who registered it.</summary>
    public void Reject(Actor approver, string reason)
    {
        RequireState(TsmState.PendingApproval, "rejected");
        if (string.Equals(approver.Id, RegisteredBy, StringComparison.OrdinalIgnoreCase))
        {
            throw new RuleViolationException($"TSM '{Name}' was registered by {RegisteredBy}; a second operator must decide on it");
        }

        State = TsmState.Rejected;
        StateReason = RequireReason(reason);
    }

    /// <summary>Suspends an active TSM.</summary>
    public void Suspend(string reason)
    {
        RequireState(TsmState.Active, "suspended");
        State = TsmState.Suspended;
        StateReason = RequireReason(reason);
    }

    /// <summary>Reinstates a suspended TSM.</summary>
    public void Reinstate(string reason)
    {
        RequireState(TsmState.Suspended, "reinstated");
        State = TsmState.Active;
        StateReason = RequireReason(reason);
    }

    /// <summary>Revokes the TSM's accreditation (final).</summary>
    public void Revoke(string reason)
    {
        if (State is TsmState.Revoked or TsmState.Rejected)
        {
            throw new RuleViolationException($"TSM '{Name}' is {State}; it cannot be revoked");
        }

        State = TsmState.Revoked;
        StateReason = RequireReason(reason);
    }

    private void RequireState(TsmState expected, string action)
    {
        if (State != expected)
        {
            throw new RuleViolationException($"TSM '{Name}' is {State}; only a {expected} TSM can be {action}");
        }
    }

    private static string RequireReason(string reason) =>
        string.IsNullOrWhiteSpace(reason) ? throw new DomainInputException("reason: a reason is required") : reason.Trim();
}
