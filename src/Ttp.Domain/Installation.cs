using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain;

/// <summary>
/// Where an installation lives, as absolute paths (data directory, database, LMK, audit anchors), and whether one exists
/// there: its database has the schema (a migration applied). Reading this creates nothing: <c>ttpctl</c> uses it to refuse
/// every command but <c>init</c> where there is no installation, instead of creating an empty one.
/// </summary>
public static class Installation
{
    /// <summary>The paths of the configured installation (no secret: no password of a connection string).</summary>
    public static InstallationPaths Describe(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var data = services.GetRequiredService<IOptions<DataOptions>>().Value;
        var lmk = services.GetRequiredService<IOptions<LmkOptions>>().Value;
        var audit = services.GetRequiredService<IOptions<AuditOptions>>().Value;
        var factory = services.GetRequiredService<IDbContextFactory<TtpDbContext>>() as TtpDbContextFactory;
        return new InstallationPaths(
            data.FullDataDirectory,
            factory?.SqliteFile ?? factory?.PostgresDatabase ?? "(not a TTP database factory)",
            lmk.Provider == LmkProviderKind.File ? lmk.ResolveFilePath(data.FullDataDirectory) : $"PKCS#11 {lmk.Pkcs11.LibraryPath}",
            audit.FullAnchorsDirectory(data));
    }

    /// <summary>Whether the configured database holds an installation (at least one migration applied); never creates the SQLite file.</summary>
    public static async Task<bool> ExistsAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var factory = services.GetRequiredService<IDbContextFactory<TtpDbContext>>();
        if (factory is TtpDbContextFactory { SqliteFile: { } file } && !File.Exists(file))
        {
            return false;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Any();
    }
}

/// <summary>The absolute paths of an installation.</summary>
public sealed record InstallationPaths(string DataDirectory, string Database, string Lmk, string AuditAnchors);
