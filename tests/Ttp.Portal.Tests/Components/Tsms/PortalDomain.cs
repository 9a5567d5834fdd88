using Ttp.Portal.Audit;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;
using Ttp.Domain;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;
using Ttp.Portal;
using Ttp.Portal.Accreditation;
using Ttp.Portal.Ceremonies;
using Ttp.Portal.IssuerKeys;
using Ttp.Portal.Security;

namespace Ttp.Portal.Tests.Components.Tsms;

/// <summary>
/// A bUnit context over the real domain services and a temporary SQLite database (or, when asked, a fresh PostgreSQL
/// database in the cluster of <c>TTP_TEST_POSTGRES</c>), signed in as one staff member with one role; two Operators exist
/// so that TSMs can be registered by one and approved by the other. A <see cref="TimeProvider"/>, when given, is the
/// clock of the domain and the pages.
/// </summary>
internal sealed class PortalDomain : IAsyncDisposable
{
    public const string OperatorA = "op-a@ttp.example";
    public const string OperatorB = "op-b@ttp.example";
    public const string SecurityOfficerC = "officer@ttp.example";

    private readonly string _folder;
    private readonly TestPostgresDatabase? _postgres;

    private PortalDomain(BunitContext context, string folder, TestPostgresDatabase? postgres)
    {
        Context = context;
        _folder = folder;
        _postgres = postgres;
    }

    public BunitContext Context { get; }

    public TsmService Tsms => Context.Services.GetRequiredService<TsmService>();

    /// <summary>Runs SQL on the database through a connection of its own, as a database writer would.</summary>
    public async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder, "ttp.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>A context signed in as <paramref name="email"/> in <paramref name="role"/>.</summary>
    public static async Task<PortalDomain> CreateAsync(
        string email, string role, DatabaseProvider provider = DatabaseProvider.Sqlite, TimeProvider? time = null)
    {
        var folder = Directory.CreateTempSubdirectory("ttp-portal-tsms-").FullName;
        var postgres = provider == DatabaseProvider.Postgres ? TestPostgresDatabase.Create() : null;
        var context = new BunitContext();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ttp"] = postgres?.ConnectionString ?? $"Data Source={Path.Combine(folder, "ttp.db")}",
            ["Ttp:DataDirectory"] = Path.Combine(folder, "data"),
            ["Ttp:Database:Provider"] = provider.ToString(),
            ["Ttp:Audit:BatchMaxDelayMs"] = "0",
        }).Build();
        context.Services.AddSingleton<IConfiguration>(configuration);
        context.Services.AddLogging();
        context.Services.AddMudServices();
        context.Services.AddTtpDomain(configuration);
        if (time is not null)
        {
            context.Services.RemoveAll<TimeProvider>();
            context.Services.AddSingleton(time);
        }

        context.Services.AddScoped<StaffAuthorization>();
        context.Services.AddPortalAccreditation();
        context.Services.AddPortalIssuerKeys();
        context.Services.AddPortalCeremonies();
        context.Services.AddPortalAudit();
        context.Services.AddAuditVerificationRunner();

        // The portal's real policies (PortalPolicies) over a signed-in principal with the role, as the portal's cookie gives.
        var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [
                new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, email),
                new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Email, email),
                new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, role),
            ],
            authenticationType: "Test"));
        context.Services.AddAuthorizationBuilder().AddPortalPolicies();
        // bUnit registers placeholders that refuse to answer; the real evaluator and policy provider replace them.
        context.Services.Replace(ServiceDescriptor.Transient<Microsoft.AspNetCore.Authorization.IAuthorizationService, Microsoft.AspNetCore.Authorization.DefaultAuthorizationService>());
        context.Services.Replace(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider, Microsoft.AspNetCore.Authorization.DefaultAuthorizationPolicyProvider>());
        context.Services.AddSingleton<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>(new FixedAuthenticationState(principal));
        context.Services.AddCascadingAuthenticationState();

        var domain = new PortalDomain(context, folder, postgres);
        await DomainInitializer.InitializeAsync(context.Services);
        await using (var scope = context.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope())
        {
            var staff = scope.ServiceProvider.GetRequiredService<StaffService>();
            await staff.AddAsync(OperatorA, StaffRoles.Operator, "Correct-Horse-Battery-9", Actor.System);
            await staff.AddAsync(OperatorB, StaffRoles.Operator, "Correct-Horse-Battery-9", Actor.System);
        }

        return domain;
    }

    /// <summary>A self-signed client certificate (DER): EC P-256 with clientAuth, valid from yesterday for 30 days, unless told otherwise.</summary>
    public static byte[] Certificate(string subject = "CN=tsm.example, O=Example TSM", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, int? rsaBits = null, bool clientAuth = true)
    {
        var now = DateTimeOffset.UtcNow;
        using var rsa = rsaBits is { } bits ? RSA.Create(bits) : null;
        using var ec = rsa is null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        var request = rsa is not null
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, ec!, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(clientAuth ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(30));
        return certificate.RawData;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await _postgres.DropAsync();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A late file handle: the temp folder is left behind, harmless.
        }
    }
}

/// <summary>An authentication state that never changes: one signed-in staff member for the whole test.</summary>
internal sealed class FixedAuthenticationState(System.Security.Claims.ClaimsPrincipal user)
    : Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider
{
    public override Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> GetAuthenticationStateAsync() =>
        Task.FromResult(new Microsoft.AspNetCore.Components.Authorization.AuthenticationState(user));
}
