using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Security.Cryptography;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;
using Ttp.Portal.Tests.Account;

namespace Ttp.Portal.Tests;

/// <summary>
/// The real portal host on real Kestrel with real TLS, on a free loopback port, with its data directory in a
/// temporary folder (so its self-signed certificate is created there). The SOAP endpoint (mutual TLS) listens on a
/// second free loopback port, chosen up front because SOAP is routed by the connection's local port.
/// </summary>
/// <remarks>
/// The database is the embedded SQLite file in the data directory, or (<see cref="DatabaseProvider.Postgres"/>) a fresh
/// database in the cluster named by <c>TTP_TEST_POSTGRES</c>, dropped when the host is disposed; without that variable a
/// PostgreSQL host fails to construct (the test fails, it is never skipped). A <see cref="TimeProvider"/>, when given,
/// replaces the portal's clock (its <see cref="TimeProvider"/> singleton) for the whole host; <c>services</c>, when given,
/// adds to the host's services after the portal's own (e.g. a logger provider that injects a fault).
/// </remarks>
internal sealed class PortalHost : WebApplicationFactory<Program>
{
    private bool _operatorAdded;

    private readonly IReadOnlyDictionary<string, string> _settings;

    private readonly TestPostgresDatabase? _postgres;

    private readonly TimeProvider? _time;

    private readonly Action<IServiceCollection>? _services;

    public PortalHost(
        IReadOnlyDictionary<string, string>? settings = null, DatabaseProvider database = DatabaseProvider.Sqlite, TimeProvider? time = null,
        Action<IServiceCollection>? services = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        _time = time;
        _services = services;
        // First, so that a missing TTP_TEST_POSTGRES fails before anything is created.
        _postgres = database == DatabaseProvider.Postgres ? TestPostgresDatabase.Create() : null;
        Database = database;
        DataDirectory = Directory.CreateTempSubdirectory("ttp-portal-").FullName;
        SoapPort = FreePort();
        ManagementPort = FreePort();
        UseKestrel();
    }

    /// <summary>The connection string of the PostgreSQL database (for another node of the installation); null on SQLite.</summary>
    public string? PostgresConnectionString => _postgres?.ConnectionString;

    /// <summary>The database provider the portal runs on.</summary>
    public DatabaseProvider Database { get; }

    public string DataDirectory { get; }

    /// <summary>Everything the portal logged (Information and above).</summary>
    public CapturedLog Log { get; } = new();

    /// <summary>The password <see cref="SeedStaffAsync"/> gives by default (meets the policy; guards only test data).</summary>
    public const string StaffPassword = "Correct-Horse-Battery-9";

    public int SoapPort { get; }

    /// <summary>The management endpoint's port (plain HTTP on loopback).</summary>
    public int ManagementPort { get; }

    /// <summary>The management endpoint's base address.</summary>
    public Uri ManagementAddress => new($"http://127.0.0.1:{ManagementPort}/");

    /// <summary>The portal endpoint (the address that is neither the SOAP nor the management port).</summary>
    public Uri BaseAddress =>
        new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).Single(a => a.Port != SoapPort && a.Port != ManagementPort).ToString());

    /// <summary>The SOAP endpoint's base address.</summary>
    public Uri SoapAddress => new($"https://127.0.0.1:{SoapPort}/");

    /// <summary>An HTTP client for the SOAP port presenting <paramref name="clientCertificate"/> (none when null).</summary>
    public HttpClient CreateSoapClient(X509Certificate2? clientCertificate) => CreateSoapClient(SoapAddress, clientCertificate);

    /// <summary>An HTTP client for the SOAP endpoint at <paramref name="soapAddress"/> presenting <paramref name="clientCertificate"/> (none when null).</summary>
    public static HttpClient CreateSoapClient(Uri soapAddress, X509Certificate2? clientCertificate)
    {
        var handler = new HttpClientHandler
        {
            ClientCertificateOptions = ClientCertificateOption.Manual,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null,
        };
        if (clientCertificate is not null)
        {
            handler.ClientCertificates.Add(clientCertificate);
        }

        return new HttpClient(handler) { BaseAddress = soapAddress };
    }

    /// <summary>
    /// Registers and approves a TSM with <paramref name="clientCertificate"/> through the real domain services (an operator
    /// approves what the system registered), then refreshes the certificate pins.
    /// </summary>
    public async Task RegisterTsmAsync(string name, X509Certificate2 clientCertificate, params string[] issuers)
    {
        StartServer();
        const string approver = "ops@ttp.test";
        if (!_operatorAdded)
        {
            using var scope = Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<StaffService>().AddAsync(approver, "Operator", "Correct-Horse-Battery-9", Actor.System);
            _operatorAdded = true;
        }

        var tsms = Services.GetRequiredService<TsmService>();
        await tsms.RegisterAsync(name, "Test TSM", clientCertificate.RawData, issuers, Actor.System);
        await tsms.ApproveAsync(name, approver, Actor.Staff(approver));
        await Services.GetRequiredService<AccreditedCertificates>().RefreshAsync();
    }

    /// <summary>An HTTP client that trusts exactly the server certificate it is shown, and records it.</summary>
    public HttpClient CreateTlsClient(out Func<X509Certificate2?> serverCertificate)
    {
        X509Certificate2? seen = null;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
                return certificate is not null;
            },
        };
        serverCertificate = () => seen;
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    /// <summary>
    /// Creates a staff account through the real <see cref="StaffService"/>; with <paramref name="authenticatorKey"/> (base32,
    /// e.g. <see cref="TestTotp.Key"/>) it is enrolled with that key, as if the staff member had scanned it.
    /// </summary>
    public async Task SeedStaffAsync(string email, string[] roles, string? authenticatorKey = null, string password = StaffPassword)
    {
        StartServer();
        await using var scope = Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<StaffService>().AddAsync(email, roles, password, Actor.System);
        if (authenticatorKey is not null)
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var stored = (await users.FindByIdAsync(user.Id.ToString()))!;
            await users.SetAuthenticationTokenAsync(stored, "[AspNetUserStore]", "AuthenticatorKey", authenticatorKey);
            await users.SetTwoFactorEnabledAsync(stored, true);
        }
    }

    /// <summary>A cookie-keeping client for the account pages (see <see cref="PortalBrowser"/>).</summary>
    public PortalBrowser CreateBrowser()
    {
        StartServer();
        return new PortalBrowser(BaseAddress);
    }

    /// <summary>
    /// Signs <paramref name="email"/> in through the real login page, and, when <paramref name="authenticatorKey"/> is given
    /// and the portal asks for it, the authenticator page with the code of <paramref name="step"/> (default: the current
    /// step). Returns the page the browser ends on.
    /// </summary>
    public static async Task<PortalBrowser.Page> SignInAsync(
        PortalBrowser browser, string email, string? authenticatorKey = null, string password = StaffPassword, long? step = null)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.FillAsync("/account/login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
        if (authenticatorKey is not null && page.Path.StartsWith("/account/login-with-2fa", StringComparison.Ordinal))
        {
            var code = TestTotp.Code(authenticatorKey, step ?? await TestTotp.StableStepAsync());
            page = await browser.SubmitAsync(page.Path, page, new Dictionary<string, string> { ["Input.Code"] = code });
        }

        return page;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
        builder.UseSetting("Ttp:DataDirectory", DataDirectory);
        builder.UseSetting("Kestrel:Endpoints:Portal:Url", "https://127.0.0.1:0");
        builder.UseSetting("Kestrel:Endpoints:Soap:Url", $"https://127.0.0.1:{SoapPort}");
        builder.UseSetting("Kestrel:Endpoints:Management:Url", $"http://127.0.0.1:{ManagementPort}");
        builder.UseEnvironment("Production");
        if (_postgres is not null)
        {
            builder.UseSetting("Ttp:Database:Provider", nameof(DatabaseProvider.Postgres));
            builder.UseSetting("ConnectionStrings:Ttp", _postgres.ConnectionString);
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_time is not null)
        {
            var time = _time;
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    /// <summary>
    /// Takes the database away under the running portal, for good: SQLite's files are deleted and a directory put where
    /// the database file was (so that no connection can open it again); the PostgreSQL database is dropped, its
    /// connections terminated.
    /// </summary>
    public async Task TakeDatabaseAwayAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DropAsync();
            return;
        }

        SqliteConnection.ClearAllPools();
        var file = Path.Combine(DataDirectory, "ttp.db");
        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
        {
            File.Delete(path);
        }

        Directory.CreateDirectory(file);
    }

    /// <summary>
    /// Stops the database under the running portal, reversibly (<see cref="StartDatabaseAsync"/>): PostgreSQL refuses
    /// connections to it and ends the open ones; SQLite's file is moved away (connections already open keep the moved
    /// file, as with a file taken away on disk).
    /// </summary>
    public Task StopDatabaseAsync()
    {
        if (_postgres is not null)
        {
            return _postgres.AllowConnectionsAsync(false);
        }

        var file = Path.Combine(DataDirectory, "ttp.db");
        File.Move(file, file + ".stopped");
        return Task.CompletedTask;
    }

    /// <summary>Undoes <see cref="StopDatabaseAsync"/>.</summary>
    public Task StartDatabaseAsync()
    {
        if (_postgres is not null)
        {
            return _postgres.AllowConnectionsAsync(true);
        }

        var file = Path.Combine(DataDirectory, "ttp.db");
        File.Move(file + ".stopped", file);
        return Task.CompletedTask;
    }

    /// <summary>A plain HTTP client for the management endpoint.</summary>
    public HttpClient CreateManagementClient()
    {
        StartServer();
        return new HttpClient { BaseAddress = ManagementAddress };
    }

    /// <summary>
    /// Every value of every table of the SQLite database, read with SQL as an operator with sqlite3 would: text as it is,
    /// blobs as UTF-8 and as hex; one line per row, prefixed with its table's name. For tests that look for a secret in clear.
    /// </summary>
    public async Task<string> StoredTextAsync()
    {
        if (_postgres is not null)
        {
            throw new NotSupportedException("StoredTextAsync reads the SQLite file");
        }

        var text = new System.Text.StringBuilder();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "ttp.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            await using var names = await list.ExecuteReaderAsync();
            while (await names.ReadAsync())
            {
                tables.Add(names.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var rows = await select.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                text.Append(table);
                for (var i = 0; i < rows.FieldCount; i++)
                {
                    text.Append('|').Append(rows.GetName(i)).Append('=');
                    text.Append(rows.IsDBNull(i) ? "null" : rows.GetValue(i) switch
                    {
                        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes) + "/" + Convert.ToHexString(bytes),
                        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                    });
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Runs SQL on the SQLite database through a connection of its own, as a database writer would; returns the rows changed.</summary>
    public async Task<int> ExecuteSqlAsync(string sql)
    {
        if (_postgres is not null)
        {
            throw new NotSupportedException("ExecuteSqlAsync writes the SQLite file");
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "ttp.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Imports a KEK for <paramref name="tsm"/> as two components (the key XOR a random mask, and the mask).</summary>
    public Task<Kek> AddKekAsync(string tsm, int index, KekAlgorithm algorithm, KekFormat format, byte[] kek) =>
        Services.GetRequiredService<KekService>().ImportAsync(tsm, index, algorithm, format, Split(kek), Actor.System);

    /// <summary>Imports an issuer key set as two components; a second person (the operator) activates it.</summary>
    public async Task AddKeySetAsync(string iin, int kvn, SecureChannelScheme scheme, DiversificationMethod method, byte[] master)
    {
        var issuerKeys = Services.GetRequiredService<IssuerKeyService>();
        await issuerKeys.ImportAsync(new IssuerKeyImport(iin, kvn, scheme, method), Split(master), Actor.System);
        await issuerKeys.ActivateAsync(iin, kvn, Actor.Staff("ops@ttp.test"));
    }

    private static byte[][] Split(byte[] key)
    {
        var mask = RandomNumberGenerator.GetBytes(key.Length);
        return [key.Zip(mask, (a, b) => (byte)(a ^ b)).ToArray(), mask];
    }

    /// <summary>A loopback port free now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
        {
            return;
        }

        // The application disposes its services on its own thread once it has stopped (minimal hosting), and the last
        // audit checkpoint is written then: retry until it is done.
        for (var attempt = 1; Directory.Exists(DataDirectory); attempt++)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }

        if (disposing)
        {
            _postgres?.Dispose();
        }
    }
}
