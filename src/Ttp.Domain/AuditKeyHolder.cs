using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain;

/// <summary>
/// Loads the audit key once (opening its envelope under the LMK, creating it on first use) and keeps it. Never creates it
/// while the trail holds records or, with <paramref name="anchors"/>, while the anchors file holds checkpoints (a wiped
/// trail whose key was deleted too): then the key was deleted, an integrity failure.
/// </summary>
public sealed class AuditKeyHolder(IDbContextFactory<TtpDbContext> factory, KeyVault vault, AuditCheckpointFile? anchors = null) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AuditKey? _key;

    /// <summary>The audit key.</summary>
    /// <exception cref="IntegrityException">The key does not open, or is missing while records or checkpoints depend on it.</exception>
    public async Task<AuditKey> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_key is not null)
        {
            return _key;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_key is null)
            {
                await using var db = await factory.CreateDbContextAsync(cancellationToken);
                _key = new AuditKey(await vault.GetOrCreateSystemKeyAsync(
                    db, SystemKey.AuditKeyId, KeyKind.AuditKey, AuditKey.Length,
                    async () => await db.AuditEvents.AnyAsync(cancellationToken)
                        ? "the audit trail holds records"
                        : anchors?.ReadLatest() is { } latest
                            ? $"the anchors file {anchors.Path} holds checkpoints of the trail (the latest at sequence {latest.Sequence})"
                            : null,
                    cancellationToken));
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
}
