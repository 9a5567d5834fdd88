using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Staff;
using Ttp.Domain.Tests.Audit;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tsms;

namespace Ttp.Domain.Tests.KeyRequests;

/// <summary>
/// One installation for key-request tests: a fresh database (SQLite or PostgreSQL), a temporary data directory with a
/// file LMK, the real services of <see cref="DomainServiceCollectionExtensions.AddTtpDomain"/>, and two staff operators
/// to register and approve TSMs.
/// </summary>
internal sealed class KeyRequestEnvironment : IAsyncDisposable
{
    public const string OperatorA = "op-a@ttp.example";
    public const string OperatorB = "op-b@ttp.example";
    public static readonly Actor Registrar = Actor.Staff(OperatorA);

    private readonly string _folder;
    private readonly IConfiguration _configuration;
    private readonly Action<IServiceCollection>? _configure;

    private KeyRequestEnvironment(TestDatabase database, string folder, ServiceProvider services, IConfiguration configuration, Action<IServiceCollection>? configure)
    {
        Database = database;
        _folder = folder;
        Services = services;
        _configuration = configuration;
        _configure = configure;
    }

    public TestDatabase Database { get; }

    public ServiceProvider Services { get; }

    public KeyRequestService KeyRequests => Services.GetRequiredService<KeyRequestService>();

    public AccreditedCertificates Pins => Services.GetRequiredService<AccreditedCertificates>();

    /// <summary>
    /// A new installation; <paramref name="configure"/> may replace services after the domain's own (e.g. a fake
    /// <see cref="TimeProvider"/> or a log collector).
    /// </summary>
    public static async Task<KeyRequestEnvironment> CreateAsync(
        DatabaseProvider provider, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var folder = Directory.CreateTempSubdirectory("ttp-keyrequests-").FullName;
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ttp"] = database.ConnectionString,
            ["Ttp:DataDirectory"] = Path.Combine(folder, "data"),
            ["Ttp:Database:Provider"] = provider.ToString(),
            ["Ttp:Audit:BatchMaxDelayMs"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var provider2 = BuildServices(configuration, configure);
        await DomainInitializer.InitializeAsync(provider2);
        var environment = new KeyRequestEnvironment(database, folder, provider2, configuration, configure);
        await using (var scope = provider2.CreateAsyncScope())
        {
            var staff = scope.ServiceProvider.GetRequiredService<StaffService>();
            await staff.AddAsync(OperatorA, StaffRoles.Operator, "Correct-Horse-Battery-9", Actor.System);
            await staff.AddAsync(OperatorB, StaffRoles.Operator, "Correct-Horse-Battery-9", Actor.System);
        }

        return environment;
    }

    /// <summary>
    /// The services of another process on the same installation (same database, data directory and LMK), not yet
    /// initialized: a restarted portal, or <c>ttpctl</c>. The caller disposes it.
    /// </summary>
    public ServiceProvider NewProcess() => BuildServices(_configuration, _configure);

    /// <summary>Registers and (unless <paramref name="approve"/> is false) approves a TSM; returns the caller its certificate makes.</summary>
    public async Task<KeyRequestCaller> AddTsmAsync(string name, IReadOnlyList<string> issuers, bool approve = true)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=Test TSM", key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var tsms = Services.GetRequiredService<TsmService>();
        await tsms.RegisterAsync(name, "Test", certificate.RawData, issuers, Registrar);
        if (approve)
        {
            await tsms.ApproveAsync(name, OperatorB, Actor.Staff(OperatorB));
        }

        // The pin computed here (SHA-256 over the DER), not by the product's CertificateInfo.
        return new KeyRequestCaller(Convert.ToHexString(SHA256.HashData(certificate.RawData)), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), "192.0.2.10");
    }

    /// <summary>Approves every pending change of <paramref name="tsm"/> as <paramref name="approverEmail"/> (default: <see cref="OperatorB"/>).</summary>
    public async Task ApprovePendingAsync(string tsm, string approverEmail = OperatorB)
    {
        var changes = Services.GetRequiredService<TsmChangeService>();
        foreach (var change in await changes.ListAsync(tsm))
        {
            await changes.ApproveAsync(change.Id, approverEmail, Actor.Staff(approverEmail));
        }
    }

    /// <summary>Imports a KEK as two components (the key XOR a random mask, and the mask).</summary>
    public Task<Kek> AddKekAsync(string tsm, int index, KekAlgorithm algorithm, KekFormat format, byte[] kek)
    {
        var mask = RandomNumberGenerator.GetBytes(kek.Length);
        var first = kek.Zip(mask, (a, b) => (byte)(a ^ b)).ToArray();
        return Services.GetRequiredService<KekService>().ImportAsync(tsm, index, algorithm, format, [first, mask], Registrar);
    }

    /// <summary>Imports (two components) and, unless told otherwise, activates an issuer key set.</summary>
    public async Task<IssuerKeySet> AddKeySetAsync(string iin, int kvn, SecureChannelScheme scheme, DiversificationMethod method, byte[] master, bool activate = true)
    {
        var mask = RandomNumberGenerator.GetBytes(master.Length);
        var first = master.Zip(mask, (a, b) => (byte)(a ^ b)).ToArray();
        var issuerKeys = Services.GetRequiredService<IssuerKeyService>();
        var set = await issuerKeys.ImportAsync(new IssuerKeyImport(iin, kvn, scheme, method), [first, mask], Registrar);
        return activate ? await issuerKeys.ActivateAsync(iin, kvn, Actor.Staff(OperatorB)) : set;
    }

    private static ServiceProvider BuildServices(IConfiguration configuration, Action<IServiceCollection>? configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddTtpDomain(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>The key-request records of the audit chain, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEvent>> KeyRequestRecordsAsync()
    {
        await using var db = Database.Factory.CreateDbContext();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Stream == AuditStream.KeyRequest).OrderBy(e => e.Sequence).ToListAsync();
    }

    /// <summary>A moment in 2000 as an SQL literal of the provider's timestamp columns (SQLite: Unix microseconds).</summary>
    public string PastTimestampSql => Database.Provider == DatabaseProvider.Sqlite ? "946684800000000" : "'2000-01-01 00:00:00+00'";

    public Task<int> ExecuteRawAsync(string sql) => AuditTestSupport.ExecuteRawAsync(Database, sql);

    /// <summary>Makes the database unreachable: the SQLite file becomes a folder; the PostgreSQL database is dropped.</summary>
    public async Task BreakDatabaseAsync()
    {
        if (Database.Provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            var path = Database.SqlitePath!;
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                if (File.Exists(file))
                {
                    File.Delete(file);
                }
            }

            Directory.CreateDirectory(path);
            return;
        }

        var builder = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        var admin = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Database = "postgres" };
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {builder.Database} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
