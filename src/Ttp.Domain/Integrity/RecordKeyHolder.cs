using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Integrity;

/// <summary>
/// Loads the access-record key once (opening its envelope under the LMK) and keeps it as a
/// <see cref="RecordAuthenticator"/>. Creates it on first use, but never while any access record carries a MAC: then
/// the key was deleted, which is an integrity failure, not a reason for a new key.
/// </summary>
public sealed class RecordKeyHolder(IDbContextFactory<TtpDbContext> factory, KeyVault vault) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RecordAuthenticator? _authenticator;

    /// <summary>The authenticator over the access-record key.</summary>
    /// <exception cref="IntegrityException">The key does not open, or is missing while authenticated records exist.</exception>
    public async Task<RecordAuthenticator> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_authenticator is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_authenticator is null)
            {
                await using var db = await factory.CreateDbContextAsync(cancellationToken);
                var key = await vault.GetOrCreateSystemKeyAsync(
                    db, SystemKey.RecordKeyId, KeyKind.RecordKey, RecordAuthenticator.Length,
                    async () => await AnyAuthenticatedAsync(db, cancellationToken) ? "TSM records, staff invitations, KEKs or issuer key sets carry MACs under it" : null,
                    cancellationToken);
                _authenticator = new RecordAuthenticator(key);
            }

            return _authenticator;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _authenticator?.Dispose();
        _gate.Dispose();
    }

    private static async Task<bool> AnyAuthenticatedAsync(TtpDbContext db, CancellationToken cancellationToken) =>
        await db.Tsms.AnyAsync(t => t.RecordMac != null, cancellationToken)
        || await db.TsmCertificates.AnyAsync(c => c.RecordMac != null, cancellationToken)
        || await db.Set<Tsms.TsmIssuerScope>().AnyAsync(s => s.RecordMac != null, cancellationToken)
        || await db.StaffInvitations.AnyAsync(i => i.RecordMac != null, cancellationToken)
        || await db.Keks.AnyAsync(k => k.RecordMac != null, cancellationToken)
        || await db.IssuerKeySets.AnyAsync(k => k.RecordMac != null, cancellationToken);
}
