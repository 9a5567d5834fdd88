using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Ttp.Domain.Data;

/// <summary>
/// Creates a context for the configured provider (one per operation: Blazor circuits and the CLI live long).
/// SQLite runs in WAL mode with a busy timeout so that the portal, the audit writer and <c>ttpctl</c> can share the
/// file. Table and column names are snake_case on both providers (operators read them with sqlite3 and psql).
/// Contexts are pooled (EF Core's <see cref="PooledDbContextFactory{TContext}"/>): a disposed context is reset and
/// reused, which spares the key-request path the set-up of a new context per request.
/// </summary>
public sealed class TtpDbContextFactory : IDbContextFactory<TtpDbContext>
{
    private readonly DatabaseProvider _provider;
    private const int PoolSize = 128;

    private readonly PooledDbContextFactory<SqliteTtpDbContext>? _sqlite;
    private readonly PooledDbContextFactory<PostgresTtpDbContext>? _postgres;

    /// <summary>Creates the factory for <paramref name="provider"/> and <paramref name="connectionString"/>.</summary>
    public TtpDbContextFactory(DatabaseProvider provider, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _provider = provider;
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = 30 };
                SqliteFile = DataFiles.SqliteFile(connectionString);
                _sqlite = new PooledDbContextFactory<SqliteTtpDbContext>(
                    new DbContextOptionsBuilder<SqliteTtpDbContext>()
                        .UseSqlite(sqlite.ToString())
                        .UseSnakeCaseNamingConvention()
                        .AddInterceptors(SqlitePragmas.Instance)
                        .Options,
                    PoolSize);
                break;
            case DatabaseProvider.Postgres:
                var npgsql = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
                PostgresDatabase = $"PostgreSQL {npgsql.Host}:{npgsql.Port}/{npgsql.Database}";
                _postgres = new PooledDbContextFactory<PostgresTtpDbContext>(
                    new DbContextOptionsBuilder<PostgresTtpDbContext>()
                        .UseNpgsql(connectionString)
                        .UseSnakeCaseNamingConvention()
                        .Options,
                    PoolSize);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown database provider.");
        }
    }

    /// <summary>The provider this factory creates contexts for.</summary>
    public DatabaseProvider Provider => _provider;

    /// <summary>The SQLite database file (absolute); null for PostgreSQL or an in-memory database.</summary>
    public string? SqliteFile { get; }

    /// <summary>The PostgreSQL server and database (<c>PostgreSQL host:port/database</c>, no credentials); null for SQLite.</summary>
    public string? PostgresDatabase { get; }

    /// <inheritdoc />
    public TtpDbContext CreateDbContext() => _provider switch
    {
        DatabaseProvider.Sqlite => _sqlite!.CreateDbContext(),
        DatabaseProvider.Postgres => _postgres!.CreateDbContext(),
        _ => throw new InvalidOperationException("Unknown database provider."),
    };
}
