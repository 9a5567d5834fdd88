using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ttp.Domain.KeyRequests;

namespace Ttp.Domain.Metrics;

/// <summary>
/// The product's instruments (<see cref="System.Diagnostics.Metrics"/>, Meter <see cref="MeterName"/>), one per process,
/// a singleton: the portal's management endpoint exports them in Prometheus text format (docs/OPERATIONS.md "Health and
/// metrics"). The instrument names are the exposed names less the suffixes the exporter appends (<c>_total</c> for a
/// counter, <c>_seconds</c> for the unit <c>s</c>).
/// </summary>
/// <remarks>
/// Labels are bounded and hold no secret: <c>tsm</c> is the name of a TSM the directory knows (registered by staff);
/// a caller no TSM holds is labelled <see cref="UnidentifiedTsm"/>, never by anything it presented. <c>outcome</c> is
/// <see cref="OkOutcome"/> or a <see cref="KeyDistributionFaultCode"/>. No key, KDD or request value is a label.
/// </remarks>
public sealed class TtpMetrics : IDisposable
{
    /// <summary>The Meter's name.</summary>
    public const string MeterName = "Ttp";

    /// <summary>The <c>tsm</c> label of a request whose certificate no TSM holds.</summary>
    public const string UnidentifiedTsm = "unidentified";

    /// <summary>The <c>outcome</c> label of a delivery.</summary>
    public const string OkOutcome = "Ok";

    // Seconds: from a fast SCP02 request (~0.2 ms) to a request stuck behind a slow database (10 s).
    private static readonly double[] RequestBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _keyRequests;
    private readonly Histogram<double> _keyRequestDuration;
    private readonly Histogram<double> _auditCommitDuration;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _integrityFailures;
    private readonly Counter<long> _tlsHandshakeRefusals;
    private Func<int> _auditQueueDepth = () => 0;

    /// <summary>Creates the Meter and its instruments.</summary>
    public TtpMetrics()
    {
        _keyRequests = _meter.CreateCounter<long>("ttp_key_requests", description: "Key requests answered, by TSM and outcome (Ok or the fault code).");
        _keyRequestDuration = _meter.CreateHistogram("ttp_key_request_duration", "s", "Time to answer a key request, delivered or refused.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestBuckets });
        _auditCommitDuration = _meter.CreateHistogram("ttp_audit_commit_duration", "s", "Time to commit one batch of the audit writer (group commit).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestBuckets });
        _rateLimited = _meter.CreateCounter<long>("ttp_rate_limited", description: "Key requests refused beyond the TSM's rate limit.");
        _integrityFailures = _meter.CreateCounter<long>("ttp_integrity_failures", description: "Integrity failures raised (a stored record or key that fails its check).");
        _tlsHandshakeRefusals = _meter.CreateCounter<long>("ttp_tls_handshake_refusals", description: "Client certificates refused in the SOAP endpoint's TLS handshake.");
        _meter.CreateObservableGauge("ttp_audit_queue_depth", () => _auditQueueDepth(), description: "Audit records waiting for the audit writer's next batch.");
    }

    /// <summary>Counts a key request answered (<paramref name="fault"/> null: keys delivered) and records how long it took.</summary>
    public void KeyRequestAnswered(string? tsm, KeyDistributionFaultCode? fault, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "tsm", tsm ?? UnidentifiedTsm },
            { "outcome", fault?.ToString() ?? OkOutcome },
        };
        _keyRequests.Add(1, tags);
        _keyRequestDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Counts a request of <paramref name="tsm"/> refused beyond its rate limit.</summary>
    public void RateLimited(string tsm) => _rateLimited.Add(1, new KeyValuePair<string, object?>("tsm", tsm));

    /// <summary>Counts an integrity failure raised.</summary>
    public void IntegrityFailure() => _integrityFailures.Add(1);

    /// <summary>Counts a client certificate refused in the TLS handshake.</summary>
    public void TlsHandshakeRefused() => _tlsHandshakeRefusals.Add(1);

    /// <summary>Records the time one audit batch took to commit.</summary>
    public void AuditCommitted(TimeSpan duration) => _auditCommitDuration.Record(duration.TotalSeconds);

    /// <summary>The source of <c>ttp_audit_queue_depth</c> (the process's audit writer).</summary>
    internal void ObserveAuditQueue(Func<int> depth) => _auditQueueDepth = depth;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
