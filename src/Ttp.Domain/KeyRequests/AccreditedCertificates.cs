using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ttp.Domain.Data;
using Ttp.Domain.Tsms;

namespace Ttp.Domain.KeyRequests;

/// <summary>
/// The certificate pins of the SOAP endpoint (DESIGN.md section 5) for the TLS handshake: an in-memory snapshot of the
/// SHA-256 thumbprints of current TSM certificates, refreshed from the database at most every
/// <see cref="RefreshInterval"/> in the background, so that <see cref="IsPinned"/> never waits on the database except
/// for the very first snapshot (bounded by <see cref="FirstLoadTimeout"/>). A singleton.
/// </summary>
/// <remarks>
/// Pinned: a certificate that is not retired (or retires at a later moment), whose validity period holds now, of a TSM that is
/// <see cref="TsmState.Active"/> or <see cref="TsmState.Suspended"/>. A suspended TSM completes the handshake so that the
/// key request can tell it <see cref="KeyDistributionFaultCode.NotAccredited"/>; a TSM pending approval, rejected or
/// revoked does not (it was never accredited, or never will be again). The key-request service checks accreditation
/// again against the database on every request: the pin only decides who may open a TLS connection.
/// </remarks>
public sealed class AccreditedCertificates(IDbContextFactory<TtpDbContext> factory, TimeProvider time, ILogger<AccreditedCertificates> logger)
{
    /// <summary>How old the snapshot may get before a handshake triggers a background refresh.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long a handshake waits for the first snapshot; after that it is refused.</summary>
    public static readonly TimeSpan FirstLoadTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private Snapshot? _snapshot;
    private Task? _refreshing;

    /// <summary>
    /// Whether <paramref name="sha256Thumbprint"/> (hex, either case) is the pin of a current certificate of an active or
    /// suspended TSM, as of the last snapshot. Synchronous, for Kestrel's <c>ClientCertificateValidation</c>.
    /// </summary>
    public bool IsPinned(string sha256Thumbprint)
    {
        if (string.IsNullOrEmpty(sha256Thumbprint))
        {
            return false;
        }

        var snapshot = _snapshot;
        var now = time.GetUtcNow();
        if (snapshot is null)
        {
            var first = StartRefresh();
            // A failed load is logged by the refresh; without a snapshot nobody is pinned.
            _ = first.Wait(FirstLoadTimeout);
            snapshot = _snapshot;
            if (snapshot is null)
            {
                return false;
            }
        }
        else if (now - snapshot.LoadedAt > RefreshInterval)
        {
            _ = StartRefresh();
        }

        return snapshot.Pins.TryGetValue(sha256Thumbprint.ToUpperInvariant(), out var validity)
            && now >= validity.NotBefore && now <= validity.NotAfter
            && (validity.RetiredAt is null || now < validity.RetiredAt);
    }

    /// <summary>Reloads the snapshot from the database now (after an accreditation change, and in tests).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await LoadAsync(cancellationToken);
        lock (_gate)
        {
            if (_snapshot is null || snapshot.LoadedAt >= _snapshot.LoadedAt)
            {
                _snapshot = snapshot;
            }
        }
    }

    /// <summary>Whether a certificate of a TSM in <paramref name="state"/> is pinned, at <paramref name="now"/>.</summary>
    internal static bool Pins(TsmState state, TsmCertificate certificate, DateTimeOffset now) =>
        state is TsmState.Active or TsmState.Suspended
        && !certificate.IsRetired(now)
        && now >= certificate.NotBefore && now <= certificate.NotAfter;

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
                    // Keep the last snapshot; the next handshake after the interval tries again.
                    KeyRequestLog.PinRefreshFailed(logger, e);
                }
            });
            return _refreshing;
        }
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var loadedAt = time.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await (from c in db.TsmCertificates
                          join t in db.Tsms on c.TsmId equals t.Id
                          where t.State == TsmState.Active || t.State == TsmState.Suspended
                          select new { c.Sha256Thumbprint, c.NotBefore, c.NotAfter, c.RetiredAt }).AsNoTracking().ToListAsync(cancellationToken);
        var pins = new Dictionary<string, Validity>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            // A certificate retired at a future moment (rotation) stays pinned until then; IsPinned compares at handshake.
            if (row.RetiredAt is null || row.RetiredAt > loadedAt)
            {
                pins[row.Sha256Thumbprint.ToUpperInvariant()] = new Validity(row.NotBefore, row.NotAfter, row.RetiredAt);
            }
        }

        return new Snapshot(loadedAt, pins);
    }

    private sealed record Snapshot(DateTimeOffset LoadedAt, IReadOnlyDictionary<string, Validity> Pins);

    private readonly record struct Validity(DateTimeOffset NotBefore, DateTimeOffset NotAfter, DateTimeOffset? RetiredAt);
}
