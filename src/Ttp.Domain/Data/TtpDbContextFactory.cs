using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ttp.Domain.Data;

/// <summary>
/// Creates a context for the configured provider (one per operation: Blazor circuits and the CLI live long).
/// SQLite runs in WAL mode with a busy timeout so that the portal, the audit writer and <c>ttpctl</c> can share the
/// file. Table and column names are snake_case on both providers (operators read them with sqlite3 and psql).
/// </summary>
public sealed class TtpDbContextFactory : IDbContextFactory<TtpDbContext>
{
    private readonly DatabaseProvider _provider;
    private readonly DbContextOptions<SqliteTtpDbContext>? _sqlite;
    private readonly DbContextOptions<PostgresTtpDbContext>? _postgres;

    /// <summary>Creates the factory for <paramref name="provider"/> and <paramref name="connectionString"/>.</summary>
    public TtpDbContextFactory(DatabaseProvider provider, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _provider = provider;
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = 30 };
                _sqlite = new DbContextOptionsBuilder<SqliteTtpDbContext>()
                    .UseSqlite(sqlite.ToString())
                    .UseSnakeCaseNamingConvention()
                    .AddInterceptors(SqlitePragmas.Instance)
                    .Options;
                break;
            case DatabaseProvider.Postgres:
                _postgres = new DbContextOptionsBuilder<PostgresTtpDbContext>()
                    .UseNpgsql(connectionString)
                    .UseSnakeCaseNamingConvention()
                    .Options;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }
    }

    /// <summary>The provider this factory creates contexts for.</summary>
    public DatabaseProvider Provider => _provider;

    /// <inheritdoc />
    public TtpDbContext CreateDbContext() => _provider switch
    {
        DatabaseProvider.Sqlite => new SqliteTtpDbContext(_sqlite!),
        DatabaseProvider.Postgres => new PostgresTtpDbContext(_postgres!),
        _ => throw new InvalidOperationException("Unknown database provider."),
    };
}
