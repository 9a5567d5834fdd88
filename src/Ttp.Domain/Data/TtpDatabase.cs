using Microsoft.EntityFrameworkCore;

namespace Ttp.Domain.Data;

/// <summary>Schema management: the one place the portal, <c>ttpctl</c> and the tests bring a database up to date.</summary>
public static class TtpDatabase
{
    /// <summary>
    /// Creates the database if missing and applies the provider's migrations (<c>Data/Migrations/Sqlite</c> or
    /// <c>Data/Migrations/Postgres</c>). Add a migration to both sets with
    /// <c>dotnet ef migrations add NAME --project src/Ttp.Domain --context SqliteTtpDbContext --output-dir Data/Migrations/Sqlite</c>
    /// and the same with <c>PostgresTtpDbContext</c> / <c>Data/Migrations/Postgres</c>.
    /// A new SQLite database file is created with mode 0600 first (<see cref="DataFiles.CreateDatabaseFile"/>), so that
    /// it and its WAL are never readable by others.
    /// </summary>
    public static async Task MigrateAsync(IDbContextFactory<TtpDbContext> factory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (factory is TtpDbContextFactory { SqliteFile: { } file })
        {
            DataFiles.CreateDatabaseFile(file);
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
