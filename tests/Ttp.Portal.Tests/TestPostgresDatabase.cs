using Npgsql;
using Ttp.Domain.Data;

namespace Ttp.Portal.Tests;

/// <summary>
/// A fresh, empty database for one portal host in the PostgreSQL cluster that scripts/test.sh starts (its connection
/// string in <c>TTP_TEST_POSTGRES</c>); the portal applies the migrations at start-up. Dropped on disposal
/// (<c>DROP DATABASE ... WITH (FORCE)</c>, which also ends the portal's own connections to it).
/// </summary>
internal sealed class TestPostgresDatabase : IDisposable
{
    /// <summary>The environment variable that names the test cluster (an administrator connection string).</summary>
    public const string Variable = "TTP_TEST_POSTGRES";

    private readonly string _admin;
    private readonly string _name;

    private TestPostgresDatabase(string admin, string name)
    {
        _admin = admin;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
    }

    /// <summary>The connection string of this database (for <c>ConnectionStrings:Ttp</c>).</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the database.</summary>
    /// <exception cref="InvalidOperationException"><c>TTP_TEST_POSTGRES</c> is not set: the test fails, loudly.</exception>
    public static TestPostgresDatabase Create()
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(admin))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, so this {nameof(DatabaseProvider.Postgres)} test cannot run: run the tests with scripts/test.sh, which starts PostgreSQL.");
        }

        var name = "ttp_portal_test_" + Guid.NewGuid().ToString("N");
        using var connection = new NpgsqlConnection(admin);
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return new TestPostgresDatabase(admin, name);
    }

    /// <summary>Drops the database now, ending every connection to it (also the portal's).</summary>
    public async Task DropAsync()
    {
        ClearPool();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Stops the database serving (<paramref name="allowed"/> false: it refuses new connections and its open ones are
    /// terminated, as in an outage) or lets it serve again; the portal's pool is left as it is.
    /// </summary>
    public async Task AllowConnectionsAsync(bool allowed)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE {_name} ALLOW_CONNECTIONS {(allowed ? "true" : "false")}", connection))
        {
            await alter.ExecuteNonQueryAsync();
        }

        if (!allowed)
        {
            await using var terminate = new NpgsqlCommand(
                $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_name}' AND pid <> pg_backend_pid()", connection);
            await terminate.ExecuteNonQueryAsync();
        }
    }

    public void Dispose() => DropAsync().GetAwaiter().GetResult();

    // Only this database's pool: other tests' pools stay as they are.
    private void ClearPool()
    {
        using var pooled = new NpgsqlConnection(ConnectionString);
        NpgsqlConnection.ClearPool(pooled);
    }
}
