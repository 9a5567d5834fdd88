using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ttp.Portal.Tests;

/// <summary>
/// The real portal host on real Kestrel with real TLS, on a free loopback port, with its data directory in a
/// temporary folder (so its self-signed certificate is created there).
/// </summary>
internal sealed class PortalHost : WebApplicationFactory<Program>
{
    public PortalHost()
    {
        DataDirectory = Directory.CreateTempSubdirectory("ttp-portal-").FullName;
        UseKestrel();
    }

    public string DataDirectory { get; }

    public Uri BaseAddress =>
        new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Ttp:DataDirectory", DataDirectory);
        builder.UseSetting("Kestrel:Endpoints:Portal:Url", "https://127.0.0.1:0");
        builder.UseEnvironment("Production");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
