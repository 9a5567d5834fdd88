using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Ttp.Domain.Data;

namespace Ttp.Domain.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated database for one test: a SQLite file in a temporary folder, or a new database in the PostgreSQL
/// cluster that scripts/test.sh starts (connection string in <c>TTP_TEST_POSTGRES</c>). Tests that take a
/// <see cref="DatabaseProvider"/> run against both.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _folder;
    private readonly string? _postgresName;
    private readonly string? _postgresAdmin;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? folder, string? postgresName, string? postgresAdmin)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Factory = new TtpDbContextFactory(provider, connectionString);
        _folder = folder;
        _postgresName = postgresName;
        _postgresAdmin = postgresAdmin;
    }

    /// <summary>Both providers, for <c>[MemberData]</c>.</summary>
    public static TheoryData<DatabaseProvider> Providers => new() { DatabaseProvider.Sqlite, DatabaseProvider.Postgres };

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public TtpDbContextFactory Factory { get; }

    /// <summary>The SQLite file (null for PostgreSQL).</summary>
    public string? SqlitePath => _folder is null ? null : Path.Combine(_folder, "ttp.db");

    /// <summary>The temporary folder of a SQLite database (also usable for LMK files); null for PostgreSQL.</summary>
    public string? Folder => _folder;

    /// <summary>A new database, migrated to the latest migration or to <paramref name="migration"/> (a migration's name:
    /// the schema of an earlier release, for upgrade tests).</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, string? migration = null)
    {
        TestDatabase database;
        if (provider == DatabaseProvider.Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("ttp-db-").FullName;
            var path = Path.Combine(folder, "ttp.db");
            database = new TestDatabase(provider, $"Data Source={path}", folder, null, null);
        }
        else
        {
            var admin = Environment.GetEnvironmentVariable("TTP_TEST_POSTGRES");
            if (string.IsNullOrEmpty(admin))
            {
                throw new InvalidOperationException(
                    "TTP_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");
            }

            var name = "ttp_test_" + Guid.NewGuid().ToString("N");
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await command.ExecuteNonQueryAsync();
            }

            var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
            database = new TestDatabase(provider, builder.ToString(), null, name, admin);
        }

        if (migration is null)
        {
            await TtpDatabase.MigrateAsync(database.Factory);
        }
        else
        {
            await using var db = database.Factory.CreateDbContext();
            await db.GetService<IMigrator>().MigrateAsync(migration);
        }

        return database;
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }

        if (_postgresName is not null && _postgresAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
