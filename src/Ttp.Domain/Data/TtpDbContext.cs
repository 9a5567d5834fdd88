using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;

namespace Ttp.Domain.Data;

/// <summary>
/// The domain's database: Identity's staff stores, TSMs, issuer key sets, KEKs, ceremonies, system keys and the audit
/// chain. One subclass per provider carries that provider's migration set (<see cref="SqliteTtpDbContext"/>,
/// <see cref="PostgresTtpDbContext"/>); create instances through <see cref="TtpDbContextFactory"/>.
/// </summary>
public abstract class TtpDbContext(DbContextOptions options)
    : IdentityDbContext<StaffUser, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<Tsm> Tsms => Set<Tsm>();

    public DbSet<TsmCertificate> TsmCertificates => Set<TsmCertificate>();

    /// <summary>Proposed changes that widen a TSM's access, waiting for (or decided by) a second Operator.</summary>
    public DbSet<TsmChange> TsmChanges => Set<TsmChange>();

    public DbSet<IssuerKeySet> IssuerKeySets => Set<IssuerKeySet>();

    public DbSet<Kek> Keks => Set<Kek>();

    public DbSet<Ceremony> Ceremonies => Set<Ceremony>();

    public DbSet<CeremonyComponent> CeremonyComponents => Set<CeremonyComponent>();

    public DbSet<SystemKey> SystemKeys => Set<SystemKey>();

    /// <summary>Staff authenticator secrets, sealed (see <see cref="StaffAuthenticatorKey"/>).</summary>
    public DbSet<StaffAuthenticatorKey> StaffAuthenticatorKeys => Set<StaffAuthenticatorKey>();

    /// <summary>Invitations to join the staff, each a one-time enrolment link (see <see cref="StaffInvitation"/>).</summary>
    public DbSet<StaffInvitation> StaffInvitations => Set<StaffInvitation>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

    /// <summary>Alerts computed from the audit trail (see <see cref="Alerts.AlertScanner"/>).</summary>
    public DbSet<Alerts.AuditAlert> AuditAlerts => Set<Alerts.AuditAlert>();

    /// <summary>The alert scanner's watermark (one row).</summary>
    public DbSet<Alerts.AlertScanState> AlertScanStates => Set<Alerts.AlertScanState>();
    /// <summary>Background verifications of the whole trail; the running one is the installation's lease (see <see cref="AuditVerification"/>).</summary>
    public DbSet<AuditVerification> AuditVerifications => Set<AuditVerification>();

    /// <summary>The version of the key-request directory (see <see cref="DirectoryVersion"/>).</summary>
    public DbSet<DirectoryVersion> DirectoryVersions => Set<DirectoryVersion>();

    /// <summary>The portal's data-protection key ring, each key an LMK envelope (<see cref="KeyStore.DataProtectionKeyStore"/>).</summary>
    public DbSet<KeyStore.DataProtectionKeyRecord> DataProtectionKeys => Set<KeyStore.DataProtectionKeyRecord>();

    /// <summary>Key-request counts per hour, TSM, outcome and latency bucket: derived from the audit chain (<see cref="KeyRequestRollup"/>).</summary>
    public DbSet<KeyRequestRollupRow> KeyRequestRollup => Set<KeyRequestRollupRow>();

    /// <summary>The rollup's watermark (single row).</summary>
    public DbSet<KeyRequestRollupState> KeyRequestRollupStates => Set<KeyRequestRollupState>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(TtpDbContext).Assembly);
    }
}

/// <summary>The SQLite (embedded default) flavour, with its own migrations under <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteTtpDbContext(DbContextOptions<SqliteTtpDbContext> options) : TtpDbContext(options)
{
    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type: store instants as UTC microseconds so that they sort and compare in SQL and
        // round-trip exactly (the audit hash covers them).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMicrosecondsConverter>();
    }
}

/// <summary>The PostgreSQL (production) flavour, with its own migrations under <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresTtpDbContext(DbContextOptions<PostgresTtpDbContext> options) : TtpDbContext(options);
