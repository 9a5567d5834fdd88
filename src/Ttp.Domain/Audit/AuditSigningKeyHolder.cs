using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Audit;

/// <summary>
/// Loads the audit signing key once (opening its envelope under the LMK) and keeps it. Creates it on first use, but never
/// while checkpoints exist in the anchors file or records were chained after the previous release's: then the key was
/// deleted, which is an integrity failure (verification and start-up fail naming it), not a reason for a new key.
/// </summary>
public sealed class AuditSigningKeyHolder(IDbContextFactory<TtpDbContext> factory, KeyVault vault, AuditCheckpointFile checkpoints) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AuditSigningKey? _key;

    /// <summary>The signing key.</summary>
    /// <exception cref="IntegrityException">The key does not open, or is missing while checkpoints or SHA-256-chained records exist.</exception>
    public async Task<AuditSigningKey> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_key is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_key is null)
            {
                await using var db = await factory.CreateDbContextAsync(cancellationToken);
                var scalar = await vault.GetOrCreateSystemKeyAsync(
                    db, SystemKey.AuditSigningKeyId, KeyKind.AuditSigningKey, AuditSigningKey.ScalarLength,
                    () => DependentsAsync(db, cancellationToken), cancellationToken, AuditSigningKey.GeneratePrivateScalar);
                try
                {
                    _key = AuditSigningKey.FromPrivateScalar(scalar);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(scalar);
                }
            }

            return _key;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _key?.Dispose();
        _gate.Dispose();
    }

    private async Task<string?> DependentsAsync(TtpDbContext db, CancellationToken cancellationToken)
    {
        if (checkpoints.ReadLatest() is { } latest)
        {
            return $"the anchors file {checkpoints.Path} holds checkpoints signed with it (the latest at sequence {latest.Sequence})";
        }

        var hmacThrough = await db.AuditChainHeads.AsNoTracking().Select(h => (long?)h.HmacThrough).SingleOrDefaultAsync(cancellationToken) ?? 0;
        return await db.AuditEvents.AnyAsync(e => e.Sequence > hmacThrough, cancellationToken)
            ? $"the audit trail holds records chained after record {hmacThrough}, which checkpoints signed with it cover"
            : null;
    }
}
