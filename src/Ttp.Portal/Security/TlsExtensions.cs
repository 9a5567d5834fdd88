using Microsoft.Extensions.Options;
using Ttp.Domain;

namespace Ttp.Portal.Security;

internal static partial class TlsExtensions
{
    /// <summary>
    /// Gives every HTTPS endpoint that has no certificate of its own the embedded self-signed one (created under the
    /// data directory on first run), and logs its fingerprint so that an operator can check it in the browser.
    /// </summary>
    public static WebApplicationBuilder AddPortalTls(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetSection("Kestrel:Certificates:Default").Exists())
        {
            return builder;
        }

        var dataDirectory = Path.GetFullPath(builder.Configuration[$"{DataOptions.Section}:DataDirectory"] ?? "data");
        var certificate = SelfSignedCertificate.LoadOrCreate(dataDirectory, out var created);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate ??= certificate));
        builder.Services.AddHostedService(services => new CertificateNotice(
            services.GetRequiredService<ILogger<CertificateNotice>>(),
            Path.Combine(dataDirectory, "tls"),
            SelfSignedCertificate.Sha256Fingerprint(certificate),
            created));
        return builder;
    }

    private sealed partial class CertificateNotice(ILogger<CertificateNotice> logger, string folder, string fingerprint, bool created)
        : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            LogSelfSigned(logger, created ? "created" : "loaded", folder, fingerprint);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Self-signed server certificate {Action} in {Folder} (not for production); SHA-256 fingerprint {Fingerprint}")]
        private static partial void LogSelfSigned(ILogger logger, string action, string folder, string fingerprint);
    }
}
