using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

using Ttp.Domain.Audit;

namespace Ttp.Domain;

/// <summary>Loads the audit key once (opening its envelope under the LMK, creating it on first use) and keeps it.</summary>
public sealed class AuditKeyHolder(IDbContextFactory<TtpDbContext> factory, KeyVault vault) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AuditKey? _key;

    /// <summary>The audit key.</summary>
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
                _key = await vault.GetOrCreateAuditKeyAsync(db, cancellationToken);
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
