using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Staff;

/// <summary>The domain's services (as the portal registers them) over a fresh database of one provider.</summary>
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

    public static async Task<StaffEnvironment> CreateAsync(DatabaseProvider provider)
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
