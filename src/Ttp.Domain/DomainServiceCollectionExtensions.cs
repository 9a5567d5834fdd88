using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;

namespace Ttp.Domain;

/// <summary>Registers the domain for both edges (portal and ttpctl) from the same configuration.</summary>
public static class DomainServiceCollectionExtensions
{
    /// <summary>
    /// Options (validated at start-up, messages name the key), the database factory, the LMK provider and key vault,
    /// the audit chain, Identity's stores, and the use-case services.
    /// </summary>
    public static IServiceCollection AddTtpDomain(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DataOptions>().BindConfiguration(DataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LmkOptions>().BindConfiguration(LmkOptions.Section).ValidateOnStart();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<LmkOptions>, LmkOptionsValidator>();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Metrics.TtpMetrics>();
        services.AddSingleton<IDbContextFactory<TtpDbContext>>(sp =>
        {
            var data = sp.GetRequiredService<IOptions<DataOptions>>().Value;
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new TtpDbContextFactory(database.Provider, ConnectionString(configuration, database.Provider, data));
        });
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContext());

        services.AddSingleton(sp => LmkProviderFactory.Create(
            sp.GetRequiredService<IOptions<LmkOptions>>().Value,
            sp.GetRequiredService<IOptions<DataOptions>>().Value.FullDataDirectory,
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<KeyVault>();
        services.AddSingleton<LmkRotation>();
        services.AddSingleton<EnvelopeAttributeUpgrade>();
        services.AddSingleton<AuditKeyHolder>();
        services.AddSingleton<Integrity.RecordKeyHolder>();
        services.AddSingleton<Integrity.IntegrityAlarm>();
        services.AddSingleton<Integrity.StoredKeyCheck>();
        services.AddSingleton<Integrity.AccessRecordUpgrade>();
        services.AddSingleton<Integrity.KeyStateUpgrade>();
        services.AddSingleton<Integrity.AuthenticRecordChange>();
        services.AddSingleton<StaffSecretUpgrade>();
        services.AddSingleton<DataProtectionKeyStore>();
        services.AddSingleton<DataProtectionKeyImport>();
        services.AddSingleton(sp => new AuditCheckpointFile(sp.GetRequiredService<IOptions<AuditOptions>>().Value
            .FullAnchorsDirectory(sp.GetRequiredService<IOptions<DataOptions>>().Value)));
        services.AddSingleton<AuditSigningKeyHolder>();
        services.AddSingleton<AuditAnchor>();
        services.AddSingleton<AuditTrailAnchoring>();
        services.AddSingleton<AuditTrailVerifier>();
        services.AddSingleton<AuditedTransaction>();
        services.AddSingleton<AuditWriter>();
        services.AddSingleton<AuditQueries>();
        services.AddOptions<Alerts.AlertOptions>().BindConfiguration(Alerts.AlertOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Alerts.AlertScanner>();
        services.AddSingleton<Alerts.AlertService>();
        services.AddSingleton<KeyRequestRollup>();
        services.AddSingleton<KeyRequestStatistics>();
        services.AddSingleton<KeyRequestSearch>();
        services.AddSingleton<StaffActionSearch>();
        services.AddSingleton<AuditRecordLookup>();
        services.AddSingleton<AuditVerificationJob>();
        services.AddSingleton<AuditVerificationQueries>();

        services.AddIdentityCore<StaffUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddErrorDescriber<StaffPasswordErrors>()
            .AddEntityFrameworkStores<TtpDbContext>()
            .AddUserStore<StaffUserStore>();

        services.AddScoped<StaffService>();
        services.AddScoped<StaffAccountService>();
        services.AddSingleton<SignInAudit>();
        services.AddSingleton<PasswordRules>();
        services.AddScoped<StaffInvitationService>();
        services.AddScoped<ApproverAuthentication>();
        services.AddSingleton<TsmService>();
        services.AddSingleton<TsmChangeService>();
        services.AddSingleton<KekService>();
        services.AddSingleton<IssuerKeyService>();
        services.AddOptions<CeremonyOptions>().BindConfiguration(CeremonyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CeremonyService>();
        services.AddSingleton<CeremonyQueries>();

        // Key requests (WSGetDiversifiedKeys): options of Ttp:Soap, the pins of the TLS handshake, the per-TSM rate limit.
        services.AddOptions<KeyRequestOptions>().BindConfiguration(KeyRequestOptions.Section)
            .Validate(o => o.Validate() is null, "Ttp:Soap: PublicUrl must be an absolute URL or empty; RateLimit:PermitsPerSecond > 0; RateLimit:Burst >= 1; RateLimit:Nodes 1 to 64")
            .ValidateOnStart();
        services.AddSingleton<AccreditedCertificates>();
        services.AddSingleton<KeyRequestDirectory>();
        services.AddSingleton<TsmRateLimiter>();
        services.AddSingleton<KeyRequestRefusalSummaries>();
        services.AddSingleton<KeyRequestService>();

        // Backup and restore (ttpctl backup / restore); the restore resolves the LMK only after its own checks.
        services.AddSingleton<Backup.BackupService>();
        services.AddScoped<Backup.RestoreService>();
        return services;
    }

    /// <summary>
    /// <c>ConnectionStrings:Ttp</c>, or for SQLite the default file <c>ttp.db</c> in the data directory (created with
    /// mode 0700 when missing: <see cref="DataFiles"/>).
    /// </summary>
    public static string ConnectionString(IConfiguration configuration, DatabaseProvider provider, DataOptions data)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(data);
        var configured = configuration.GetConnectionString("Ttp");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (provider != DatabaseProvider.Sqlite)
        {
            throw new OptionsValidationException("ConnectionStrings:Ttp", typeof(DatabaseOptions),
                ["ConnectionStrings:Ttp is required when Ttp:Database:Provider is Postgres"]);
        }

        DataFiles.CreateDirectory(data.FullDataDirectory);
        return $"Data Source={Path.Combine(data.FullDataDirectory, "ttp.db")}";
    }
}
