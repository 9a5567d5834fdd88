using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain;

/// <summary>
/// Brings an installation up: tightens the modes of the data directory and the SQLite files (<see cref="DataFiles"/>),
/// applies the database migrations, creates (or loads) the LMK, the audit key and the audit signing key, anchors the
/// audit trail (<see cref="Audit.AuditTrailAnchoring"/>: the first checkpoint, or one covering what a stop left
/// uncovered), and runs the one-time conversions of an older installation (<see cref="EnvelopeAttributeUpgrade"/>,
/// <see cref="Integrity.AccessRecordUpgrade"/>, <see cref="Integrity.KeyStateUpgrade"/>, <see cref="Staff.StaffSecretUpgrade"/>, <see cref="DataProtectionKeyImport"/>).
/// Idempotent. Run by the portal at start-up and by <c>ttpctl init</c>, so both edges do exactly the same.
/// </summary>
public static class DomainInitializer
{
    /// <summary>Initializes and reports what the installation runs on.</summary>
    public static async Task<DomainStatus> InitializeAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var factory = services.GetRequiredService<IDbContextFactory<TtpDbContext>>();
        DataFiles.Tighten(
            services.GetRequiredService<IOptions<DataOptions>>().Value.FullDataDirectory,
            (factory as TtpDbContextFactory)?.SqliteFile,
            services.GetService<ILoggerFactory>()?.CreateLogger(typeof(DataFiles).FullName!) ?? NullLogger.Instance);
        await TtpDatabase.MigrateAsync(factory, cancellationToken);
        var lmk = services.GetRequiredService<ILmkProvider>();
        await services.GetRequiredService<AuditKeyHolder>().GetAsync(cancellationToken);
        var signingKey = await services.GetRequiredService<Audit.AuditTrailAnchoring>().RunAsync(cancellationToken);
        await services.GetRequiredService<EnvelopeAttributeUpgrade>().RunAsync(cancellationToken);
        await services.GetRequiredService<Integrity.AccessRecordUpgrade>().RunAsync(cancellationToken);
        await services.GetRequiredService<Integrity.KeyStateUpgrade>().RunAsync(cancellationToken);
        await services.GetRequiredService<Staff.StaffSecretUpgrade>().RunAsync(cancellationToken);
        await services.GetRequiredService<DataProtectionKeyImport>().RunAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var provider = factory is TtpDbContextFactory ttp ? ttp.Provider : DatabaseProvider.Sqlite;
        return new DomainStatus(provider, lmk.CurrentLmkId, lmk.IsSoftware, await db.AuditEvents.LongCountAsync(cancellationToken), signingKey);
    }
}

/// <summary>
/// What an installation runs on: database provider, LMK id (never the key), whether the LMK is in software, how many
/// audit records, and the fingerprint of the audit signing key (the public key's SHA-256).
/// </summary>
public sealed record DomainStatus(DatabaseProvider Database, string LmkId, bool SoftwareLmk, long AuditRecords, string? AuditSigningKeyFingerprint = null);
