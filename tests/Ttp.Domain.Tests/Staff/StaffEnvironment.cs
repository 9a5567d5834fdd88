using System.Data.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;
using Npgsql;
using Ttp.Domain.Tests.Audit;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Staff;

/// <summary>
/// The domain's services (as the portal registers them) over a fresh database of one provider; with a
/// <see cref="TimeProvider"/>, that clock replaces the domain's.
/// </summary>
internal sealed class StaffEnvironment : IAsyncDisposable
{
    public const string Password = "Correct-Horse-Battery-9";

    private readonly TestDatabase _database;
    private readonly string _folder;
    private readonly ServiceProvider _services;

    private StaffEnvironment(TestDatabase database, string folder, ServiceProvider services)
    {
        _database = database;
        _folder = folder;
        _services = services;
    }

    public TestDatabase Database => _database;

    public static async Task<StaffEnvironment> CreateAsync(DatabaseProvider provider, TimeProvider? time = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var folder = Directory.CreateTempSubdirectory("ttp-staff-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ttp"] = database.ConnectionString,
            ["Ttp:DataDirectory"] = Path.Combine(folder, "data"),
            ["Ttp:Database:Provider"] = provider.ToString(),
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddTtpDomain(configuration);
        if (time is not null)
        {
            // Registered after the domain's TimeProvider.System: the last registration is the one resolved.
            services.AddSingleton(time);
        }

        var built = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await DomainInitializer.InitializeAsync(built);
        return new StaffEnvironment(database, folder, built);
    }

    /// <summary>Runs <paramref name="action"/> with a fresh scope's <see cref="StaffService"/> (as one request would).</summary>
    public async Task<T> StaffAsync<T>(Func<StaffService, Task<T>> action)
    {
        await using var scope = _services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<StaffService>());
    }

    public Task StaffAsync(Func<StaffService, Task> action) => StaffAsync(async s =>
    {
        await action(s);
        return true;
    });

    /// <summary>Runs <paramref name="action"/> with a fresh scope's <see cref="StaffAccountService"/>.</summary>
    public async Task<T> AccountsAsync<T>(Func<StaffAccountService, Task<T>> action)
    {
        await using var scope = _services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<StaffAccountService>());
    }

    /// <summary>The service of type <typeparamref name="T"/> (a singleton).</summary>
    public T Service<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Runs <paramref name="action"/> with a fresh scope's <see cref="StaffInvitationService"/>.</summary>
    public async Task<T> InvitationsAsync<T>(Func<StaffInvitationService, Task<T>> action)
    {
        await using var scope = _services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<StaffInvitationService>());
    }

    /// <summary>Runs <paramref name="sql"/> on a connection of its own, as an operator at the SQL prompt would.</summary>
    public Task<int> ExecuteRawAsync(string sql) => AuditTestSupport.ExecuteRawAsync(_database, sql);

    /// <summary>The rows of <paramref name="sql"/>, read on a connection of its own, each as column name to value.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryRawAsync(string sql)
    {
        await using DbConnection connection = _database.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection($"Data Source={_database.SqlitePath};Pooling=False")
            : new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Runs <paramref name="action"/> with a fresh scope's Identity <see cref="UserManager{TUser}"/>.</summary>
    public async Task<T> UsersAsync<T>(Func<UserManager<StaffUser>, Task<T>> action)
    {
        await using var scope = _services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>());
    }

    public async Task<StaffMember> MemberAsync(string email) =>
        (await StaffAsync(s => s.ListAsync())).Single(m => string.Equals(m.Email, email, StringComparison.OrdinalIgnoreCase));

    /// <summary>The staff-action records about <paramref name="email"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEvent>> RecordsAsync(string email)
    {
        await using var db = _database.Factory.CreateDbContext();
        var subject = "user:" + email.ToLowerInvariant();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Subject == subject).OrderBy(e => e.Sequence).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
