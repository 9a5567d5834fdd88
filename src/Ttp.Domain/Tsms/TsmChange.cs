using System.Globalization;
using Ttp.Domain.Integrity;

namespace Ttp.Domain.Tsms;

/// <summary>
/// A proposed change that widens what a TSM gets (issuers added, a higher rate limit, a new certificate, reinstatement):
/// it has no effect until an Operator other than the proposer approves it (<see cref="TsmChangeService"/>). Authenticated
/// like the access records, so a change written in SQL (or a decided one set back to pending) is refused at approval.
/// </summary>
public sealed class TsmChange : IAuthenticatedRecord
{
    private TsmChange()
    {
    }

    public Guid Id { get; private set; }

    public Guid TsmId { get; private set; }

    public TsmChangeKind Kind { get; private set; }

    /// <summary>Issuers to add (uppercase hex, comma-separated, sorted), for <see cref="TsmChangeKind.Scope"/>.</summary>
    public string? AddedIssuers { get; private set; }

    /// <summary>Whether the change sets the rate limit (to <see cref="RateLimitPerSecond"/>, null meaning the default).</summary>
    public bool SetsRateLimit { get; private set; }

    /// <summary>The proposed rate limit, for <see cref="TsmChangeKind.Scope"/> when <see cref="SetsRateLimit"/>.</summary>
    public double? RateLimitPerSecond { get; private set; }

    /// <summary>The certificate to add (DER, public), for <see cref="TsmChangeKind.Certificate"/>.</summary>
    public byte[]? CertificateDer { get; private set; }

    /// <summary>The certificate's pin, for display and the MAC.</summary>
    public string? CertificateSha256Thumbprint { get; private set; }

    /// <summary>The reason given with a reinstatement.</summary>
    public string? Reason { get; private set; }

    public string ProposedBy { get; private set; } = string.Empty;

    public DateTimeOffset ProposedAt { get; private set; }

    public TsmChangeState State { get; private set; }

    public string? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>Why a change was rejected.</summary>
    public string? DecisionReason { get; private set; }

    /// <inheritdoc cref="IAuthenticatedRecord.RecordMac"/>
    public byte[]? RecordMac { get; private set; }

    /// <summary>What the change does, in one line for staff (no secret).</summary>
    public string Summary => Kind switch
    {
        TsmChangeKind.Scope => string.Join("; ", new[]
        {
            AddedIssuers is { Length: > 0 } ? "add issuers " + AddedIssuers : null,
            SetsRateLimit ? "rate limit " + (RateLimitPerSecond is { } r ? r.ToString("0.###", CultureInfo.InvariantCulture) + "/s" : "default") : null,
        }.Where(s => s is not null)),
        TsmChangeKind.Certificate => "add certificate " + CertificateSha256Thumbprint,
        TsmChangeKind.Reinstatement => "reinstate: " + Reason,
        _ => Kind.ToString(),
    };

    internal static TsmChange ForScope(Guid tsmId, IReadOnlyCollection<string> addedIssuers, bool setsRateLimit, double? rate, Actor actor, DateTimeOffset now) =>
        New(tsmId, TsmChangeKind.Scope, actor, now, c =>
        {
            c.AddedIssuers = addedIssuers.Count == 0 ? null : string.Join(',', addedIssuers.Order(StringComparer.Ordinal));
            c.SetsRateLimit = setsRateLimit;
            c.RateLimitPerSecond = setsRateLimit ? rate : null;
        });

    internal static TsmChange ForCertificate(Guid tsmId, CertificateInfo certificate, Actor actor, DateTimeOffset now) =>
        New(tsmId, TsmChangeKind.Certificate, actor, now, c =>
        {
            c.CertificateDer = certificate.Der;
            c.CertificateSha256Thumbprint = certificate.Sha256Thumbprint;
        });

    internal static TsmChange ForReinstatement(Guid tsmId, string reason, Actor actor, DateTimeOffset now) =>
        New(tsmId, TsmChangeKind.Reinstatement, actor, now, c => c.Reason = reason);

    /// <summary>Records the second Operator's decision; the proposer cannot decide.</summary>
    internal void Decide(Actor decider, bool approve, string? reason, DateTimeOffset now)
    {
        if (State != TsmChangeState.Pending)
        {
            throw new RuleViolationException($"the change was already {State.ToString().ToLowerInvariant()}");
        }

        if (string.Equals(decider.Id, ProposedBy, StringComparison.OrdinalIgnoreCase))
        {
            throw new RuleViolationException($"the change was proposed by {ProposedBy}; a second Operator must decide on it");
        }

        State = approve ? TsmChangeState.Approved : TsmChangeState.Rejected;
        DecidedBy = decider.Id;
        DecidedAt = now;
        DecisionReason = reason;
    }

    string IAuthenticatedRecord.CanonicalForm() => string.Create(
        CultureInfo.InvariantCulture,
        $"ttp-tsm-change-v1|{Id:D}|{TsmId:D}|{(int)Kind}|{AddedIssuers}|{SetsRateLimit}|{RateLimitPerSecond?.ToString("R", CultureInfo.InvariantCulture)}|{CertificateSha256Thumbprint}|{Reason}|{ProposedBy}|{Tsm.Micros(ProposedAt)}|{(int)State}|{DecidedBy}");

    Guid IAuthenticatedRecord.OwningTsmId => TsmId;

    string IAuthenticatedRecord.Describe() => $"proposed change {Id:D} of TSM {TsmId:D}";

    void IAuthenticatedRecord.SetRecordMac(byte[] mac) => RecordMac = mac;

    private static TsmChange New(Guid tsmId, TsmChangeKind kind, Actor actor, DateTimeOffset now, Action<TsmChange> fill)
    {
        var change = new TsmChange
        {
            Id = Guid.NewGuid(),
            TsmId = tsmId,
            Kind = kind,
            ProposedBy = actor.Id,
            ProposedAt = Audit.AuditRecord.TruncateToMicroseconds(now),
            State = TsmChangeState.Pending,
        };
        fill(change);
        return change;
    }
}
