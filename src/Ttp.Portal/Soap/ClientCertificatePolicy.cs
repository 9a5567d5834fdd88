using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Metrics;

namespace Ttp.Portal.Soap;

/// <summary>
/// Decides, in the TLS handshake of the SOAP endpoint, whether a client certificate may connect: within its validity
/// period, pinned (SHA-256 thumbprint of an accredited TSM's certificate) and, when <c>Ttp:Soap:ClientCaPath</c> is set,
/// chaining to that CA. A refusal fails the handshake: no HTTP status, nothing processed; it is logged and counted
/// (<c>ttp_tls_handshake_refusals_total</c>).
/// </summary>
internal sealed partial class ClientCertificatePolicy(
    AccreditedCertificates pins, IOptions<SoapOptions> options, TtpMetrics metrics, TimeProvider time, ILogger<ClientCertificatePolicy> logger)
{
    private readonly Lazy<X509Certificate2Collection?> _roots = new(() =>
        string.IsNullOrWhiteSpace(options.Value.ClientCaPath) ? null : LoadRoots(options.Value.ClientCaPath));

    /// <summary>Kestrel's <c>ClientCertificateValidation</c> callback (the platform's own chain verdict is ignored).</summary>
    public bool Validate(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var thumbprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        var now = time.GetUtcNow().UtcDateTime;
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            return Refuse(thumbprint, "outside its validity period");
        }

        if (!pins.StandingOf(thumbprint, certificate.NotAfter.ToUniversalTime()).IsPinned)
        {
            return Refuse(thumbprint, "not pinned to an accredited TSM");
        }

        var roots = _roots.Value;
        if (roots is null)
        {
            return true;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        // The portal's clock, not the system's (X509Chain's default).
        custom.ChainPolicy.VerificationTime = now;
        if (!custom.Build(certificate))
        {
            return Refuse(thumbprint, "does not chain to Ttp:Soap:ClientCaPath");
        }

        return true;
    }

    private bool Refuse(string thumbprint, string reason)
    {
        LogRefused(logger, thumbprint, reason);
        metrics.TlsHandshakeRefused();
        return false;
    }

    private static X509Certificate2Collection LoadRoots(string path)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(path);
        return roots.Count == 0
            ? throw new InvalidOperationException($"Ttp:Soap:ClientCaPath holds no PEM certificate: {path}")
            : roots;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client certificate {Thumbprint} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string thumbprint, string reason);
}
