using Microsoft.Extensions.Logging;
using Ttp.Domain.Tsms;

namespace Ttp.Domain.KeyRequests;

/// <summary>
/// The certificate pins of the SOAP endpoint (docs/DESIGN.md section 5) for the TLS handshake, read from the
/// <see cref="KeyRequestDirectory"/>'s latest copy (the same copy key requests use; no second one). The copy is checked
/// against the database at most every <see cref="RefreshInterval"/> in the background, so that <see cref="IsPinned"/>
/// never waits on the database except for the very first copy (bounded by <see cref="FirstLoadTimeout"/>). A singleton.
/// </summary>
/// <remarks>
/// Pinned (<see cref="CallerStanding"/>, the rule the key request judges by too): a certificate that is not retired (or
/// retires at a later moment), whose validity period holds now, of a TSM that is <see cref="TsmState.Active"/> or
/// <see cref="TsmState.Suspended"/>. A suspended TSM completes the handshake so
/// that the key request can tell it <see cref="KeyDistributionFaultCode.NotAccredited"/>; a TSM pending approval,
/// rejected or revoked does not (it was never accredited, or never will be again). The key-request service checks
/// accreditation again on every request against the current directory: the pin only decides who may open a TLS
/// connection.
/// </remarks>
public sealed class AccreditedCertificates(KeyRequestDirectory directory, TimeProvider time, ILogger<AccreditedCertificates> logger)
{
    /// <summary>How long after the last check a handshake triggers a background check of the directory.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long a handshake waits for the first copy; after that it is refused.</summary>
    public static readonly TimeSpan FirstLoadTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private long _checkedAtTicks; // UTC ticks of the last successful check; written by the background refresh
    private Task? _refreshing;

    /// <summary>
    /// Whether <paramref name="sha256Thumbprint"/> (hex, either case) is the pin of a current certificate of an active or
    /// suspended TSM, as of the directory's latest copy (<see cref="StandingOf"/> without the presented expiry).
    /// </summary>
    public bool IsPinned(string sha256Thumbprint) => StandingOf(sha256Thumbprint, DateTimeOffset.MaxValue).IsPinned;

    /// <summary>
    /// The <see cref="CallerStanding"/> now of the certificate with <paramref name="sha256Thumbprint"/> (hex, either case)
    /// expiring at <paramref name="presentedNotAfter"/>, as of the directory's latest copy. Synchronous, for Kestrel's
    /// <c>ClientCertificateValidation</c>: the handshake completes when it <see cref="CallerStanding.IsPinned"/>.
    /// </summary>
    public CallerStanding StandingOf(string sha256Thumbprint, DateTimeOffset presentedNotAfter)
    {
        var now = time.GetUtcNow();
        if (string.IsNullOrEmpty(sha256Thumbprint))
        {
            return CallerStanding.Of(null, presentedNotAfter, now);
        }

        var snapshot = directory.Latest;
        if (snapshot is null)
        {
            // A failed load is logged by the refresh; without a copy nobody is pinned.
            _ = StartRefresh().Wait(FirstLoadTimeout);
            snapshot = directory.Latest;
            if (snapshot is null)
            {
                return CallerStanding.Of(null, presentedNotAfter, now);
            }
        }
        else if (now.UtcTicks - Interlocked.Read(ref _checkedAtTicks) > RefreshInterval.Ticks)
        {
            _ = StartRefresh();
        }

        return CallerStanding.Of(snapshot.FindCaller(sha256Thumbprint), presentedNotAfter, now);
    }

    /// <summary>Checks the directory against the database now (after an accreditation change, and in tests).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var checkedAt = time.GetUtcNow();
        await directory.CurrentAsync(cancellationToken);
        Interlocked.Exchange(ref _checkedAtTicks, checkedAt.UtcTicks);
    }

    private Task StartRefresh()
    {
        lock (_gate)
        {
            if (_refreshing is { IsCompleted: false } running)
            {
                return running;
            }

            _refreshing = Task.Run(async () =>
            {
                try
                {
                    await RefreshAsync();
                }
                catch (Exception e)
                {
                    // Keep the last copy; the next handshake after the interval tries again.
                    KeyRequestLog.PinRefreshFailed(logger, e);
                }
            });
            return _refreshing;
        }
    }
}
