using System.Globalization;
using Ttp.Domain.Integrity;

namespace Ttp.Domain.Tsms;

/// <summary>
/// A Trusted Service Manager accredited (or being accredited) to receive card keys. State changes only through the
/// methods below, which enforce the four-eyes rule: the actor who registered a TSM cannot approve it.
/// </summary>
public sealed class Tsm : IAuthenticatedRecord
{
    private static readonly TimeSpan RetireNowTolerance = TimeSpan.FromMinutes(1);

    private readonly List<TsmCertificate> _certificates = [];
    private readonly List<TsmIssuerScope> _scope = [];

    private Tsm()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Unique short name, used by operators and in the audit chain.</summary>
    public string Name { get; private set; } = string.Empty;

    public string? Organisation { get; private set; }

    /// <summary>The TSM's contact person for accreditation matters (not a secret; shown to staff).</summary>
    public string? ContactName { get; private set; }

    public string? ContactEmail { get; private set; }

    public string? ContactPhone { get; private set; }

    public TsmState State { get; private set; }

    /// <summary>The reason given for the last suspension, reinstatement, revocation or rejection.</summary>
    public string? StateReason { get; private set; }

    public string RegisteredBy { get; private set; } = string.Empty;

    public DateTimeOffset RegisteredAt { get; private set; }

    public string? ApprovedBy { get; private set; }

    public DateTimeOffset? ApprovedAt { get; private set; }

    /// <summary>The highest per-TSM rate limit an operator may set (requests per second).</summary>
    public const double MaxRateLimitPerSecond = 10_000;

    /// <summary>Per-TSM request rate (token bucket permits per second); null for the configured default.</summary>
    public double? RateLimitPerSecond { get; private set; }

    public IReadOnlyList<TsmCertificate> Certificates => _certificates;

    /// <summary>The issuers (and optionally key versions) this TSM may ask keys for.</summary>
    public IReadOnlyList<TsmIssuerScope> Scope => _scope;

    /// <summary>Registers a TSM, pending a second operator's approval.</summary>
    public static Tsm Register(string name, string? organisation, CertificateInfo certificate, IEnumerable<string> issuers, Actor actor, DateTimeOffset now) =>
        Register(new TsmRegistration(name, organisation, issuers.ToArray()), certificate, actor, now);

    /// <summary>Registers a TSM with its contact, scope and optional rate limit, pending a second operator's approval.</summary>
    public static Tsm Register(TsmRegistration registration, CertificateInfo certificate, Actor actor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(certificate);
        var name = ValidName(registration.Name);
        var contact = registration.Contact ?? TsmContact.None;
        var tsm = new Tsm
        {
            Id = Guid.NewGuid(),
            Name = name,
            Organisation = TsmFields.Organisation(registration.Organisation),
            ContactName = TsmFields.ContactName(contact.Name),
            ContactEmail = TsmContact.ValidEmail(contact.Email),
            ContactPhone = TsmContact.ValidPhone(contact.Phone),
            State = TsmState.PendingApproval,
            RegisteredBy = actor.Id,
            RegisteredAt = now,
            RateLimitPerSecond = ValidRateLimit(registration.RateLimitPerSecond),
        };
        tsm._certificates.Add(new TsmCertificate(tsm.Id, certificate, now));
        foreach (var iin in TsmIssuers.Normalize(registration.Issuers))
        {
            tsm._scope.Add(new TsmIssuerScope(tsm.Id, iin));
        }

        return tsm;
    }

    /// <summary>The certificates accepted at <paramref name="now"/>: not retired by then and within their validity period.</summary>
    public IEnumerable<TsmCertificate> CurrentCertificates(DateTimeOffset now) =>
        _certificates.Where(c => !c.IsRetired(now) && now >= c.NotBefore && now <= c.NotAfter);

    /// <summary>
    /// Replaces the issuers this TSM may request keys for, and its rate limit (null for the configured default).
    /// Not allowed once the TSM is rejected or revoked.
    /// </summary>
    public void UpdateScope(IEnumerable<string> issuers, double? rateLimitPerSecond)
    {
        RequireNotFinal("have its scope changed");
        var wanted = TsmIssuers.Normalize(issuers);
        var rate = ValidRateLimit(rateLimitPerSecond);
        _scope.RemoveAll(s => !wanted.Contains(s.Iin, StringComparer.Ordinal));
        foreach (var iin in wanted.Where(i => !_scope.Any(s => s.Iin == i)))
        {
            _scope.Add(new TsmIssuerScope(Id, iin));
        }

        RateLimitPerSecond = rate;
    }

    /// <summary>
    /// Splits a requested scope into what narrows access (issuers removed, a lower rate limit: applied now by the caller
    /// through <see cref="UpdateScope"/>) and what widens it (issuers added, a higher effective rate limit: proposed for a
    /// second Operator). Before approval the whole TSM waits for a second Operator, so nothing is widening then.
    /// </summary>
    /// <param name="issuers">The requested scope.</param>
    /// <param name="rateLimitPerSecond">The requested rate limit (null: the default).</param>
    /// <param name="defaultRate">The configured default rate, to compare a TSM's own rate with the default.</param>
    internal ScopeSplit SplitScope(IEnumerable<string> issuers, double? rateLimitPerSecond, double defaultRate)
    {
        RequireNotFinal("have its scope changed");
        var wanted = TsmIssuers.Normalize(issuers);
        var rate = ValidRateLimit(rateLimitPerSecond);
        if (State == TsmState.PendingApproval)
        {
            return new ScopeSplit(wanted, rate, [], RaisesRate: false, rate);
        }

        var current = _scope.Select(s => s.Iin).ToHashSet(StringComparer.Ordinal);
        var raises = (rate ?? defaultRate) > (RateLimitPerSecond ?? defaultRate);
        return new ScopeSplit(
            [.. wanted.Where(current.Contains)],
            raises ? RateLimitPerSecond : rate,
            [.. wanted.Where(i => !current.Contains(i))],
            raises,
            rate);
    }

    /// <summary>Adds issuers to the scope (an approved change).</summary>
    internal IEnumerable<TsmIssuerScope> AddIssuers(IEnumerable<string> issuers)
    {
        RequireNotFinal("have its scope changed");
        var added = new List<TsmIssuerScope>();
        foreach (var iin in TsmIssuers.Normalize(issuers).Where(i => !_scope.Any(s => s.Iin == i)))
        {
            var entry = new TsmIssuerScope(Id, iin);
            _scope.Add(entry);
            added.Add(entry);
        }

        return added;
    }

    /// <summary>Sets the rate limit (an approved change, or a lower one).</summary>
    internal void SetRateLimit(double? rateLimitPerSecond)
    {
        RequireNotFinal("have its rate limit changed");
        RateLimitPerSecond = ValidRateLimit(rateLimitPerSecond);
    }

    /// <summary>Adds a client certificate (rotation); the caller has checked the certificate policy and that no TSM holds it.</summary>
    public TsmCertificate AddCertificate(CertificateInfo certificate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        RequireNotFinal("receive a new certificate");
        if (_certificates.Any(c => c.Sha256Thumbprint == certificate.Sha256Thumbprint))
        {
            throw new RuleViolationException($"this certificate is already registered to TSM '{Name}'");
        }

        var added = new TsmCertificate(Id, certificate, now);
        _certificates.Add(added);
        return added;
    }

    /// <summary>
    /// Retires a certificate at <paramref name="retireAt"/> (now or later; until then it is still accepted). A TSM that
    /// is not rejected or revoked must keep at least one other certificate that is accepted at that moment, so that a
    /// rotation never leaves an accredited TSM without a certificate; revoke the TSM to stop it altogether.
    /// </summary>
    /// <returns>When the certificate was to retire before (null when it was current).</returns>
    public DateTimeOffset? RetireCertificate(string sha256Thumbprint, DateTimeOffset retireAt, DateTimeOffset now)
    {
        var thumbprint = (sha256Thumbprint ?? string.Empty).Trim().ToUpperInvariant();
        var certificate = _certificates.FirstOrDefault(c => c.Sha256Thumbprint == thumbprint)
            ?? throw new NotFoundException($"TSM '{Name}' has no certificate with thumbprint {thumbprint}");
        if (certificate.IsRetired(now))
        {
            throw new RuleViolationException($"this certificate of TSM '{Name}' was already retired on {certificate.RetiredAt:u}");
        }

        // "Now" as the caller saw it arrives a moment late: up to a minute in the past counts as now.
        if (retireAt < now - RetireNowTolerance)
        {
            throw new DomainInputException("retire at: choose now or a later moment");
        }

        retireAt = retireAt < now ? now : retireAt;

        if (State is not (TsmState.Rejected or TsmState.Revoked)
            && !_certificates.Any(c => c != certificate && !c.IsRetired(retireAt) && retireAt >= c.NotBefore && retireAt <= c.NotAfter))
        {
            throw new RuleViolationException(
                $"TSM '{Name}' would have no valid certificate left at {retireAt:u}: add its successor first (or revoke the TSM)");
        }

        var before = certificate.RetiredAt;
        certificate.Retire(retireAt);
        return before;
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

    /// <summary>Checks that a reinstatement can be proposed: the TSM is suspended and a reason is given.</summary>
    internal void RequireReinstatable(string reason)
    {
        RequireState(TsmState.Suspended, "reinstated");
        RequireReason(reason);
    }

    /// <summary>Checks that <paramref name="certificate"/> could be added now (the TSM is not final and does not hold it).</summary>
    internal void RequireCertificateCanBeAdded(CertificateInfo certificate)
    {
        RequireNotFinal("receive a new certificate");
        if (_certificates.Any(c => c.Sha256Thumbprint == certificate.Sha256Thumbprint))
        {
            throw new RuleViolationException($"this certificate is already registered to TSM '{Name}'");
        }
    }

    /// <summary>Reinstates a suspended TSM (an approved change).</summary>
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

    private void RequireNotFinal(string action)
    {
        if (State is TsmState.Rejected or TsmState.Revoked)
        {
            throw new RuleViolationException($"TSM '{Name}' is {State}; it can no longer {action}");
        }
    }

    /// <summary>The name, trimmed: 1 to <see cref="TsmFields.MaxNameLength"/> characters, not the registration page's.</summary>
    internal static string ValidName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > TsmFields.MaxNameLength)
        {
            throw new DomainInputException($"name: expected 1 to {TsmFields.MaxNameLength} characters");
        }

        // The portal addresses a TSM as /tsms/{name}; "register" is that area's registration page.
        if (string.Equals(name.Trim(), "register", StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainInputException("name: 'register' is reserved; choose another name");
        }

        return name.Trim();
    }

    internal static string? Optional(string? value, int maxLength, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length <= maxLength ? trimmed : throw new DomainInputException($"{field}: at most {maxLength} characters");
    }

    internal static double? ValidRateLimit(double? rate) => rate switch
    {
        null => null,
        { } r when double.IsFinite(r) && r > 0 && r <= MaxRateLimitPerSecond => r,
        _ => throw new DomainInputException($"rate limit: expected a number of requests per second above 0 and at most {MaxRateLimitPerSecond}"),
    };

    private void RequireState(TsmState expected, string action)
    {
        if (State != expected)
        {
            throw new RuleViolationException($"TSM '{Name}' is {State}; only a {expected} TSM can be {action}");
        }
    }

    private static string RequireReason(string reason) =>
        string.IsNullOrWhiteSpace(reason) ? throw new DomainInputException("reason: a reason is required")
        : reason.Trim().Length > 500 ? throw new DomainInputException("reason: at most 500 characters")
        : reason.Trim();

    /// <inheritdoc cref="IAuthenticatedRecord.RecordMac"/>
    public byte[]? RecordMac { get; private set; }

    /// <summary>Microseconds since the Unix epoch: the precision both databases store, so a value reads back the same.</summary>
    internal static long Micros(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    string IAuthenticatedRecord.CanonicalForm() => string.Create(
        CultureInfo.InvariantCulture,
        $"ttp-tsm-v1|{Id:D}|{Name}|{(int)State}|{(RateLimitPerSecond is { } rate ? rate.ToString("R", CultureInfo.InvariantCulture) : string.Empty)}");

    Guid IAuthenticatedRecord.OwningTsmId => Id;

    string IAuthenticatedRecord.Describe() => $"TSM '{Name}' ({Id:D})";

    void IAuthenticatedRecord.SetRecordMac(byte[] mac) => RecordMac = mac;
}
