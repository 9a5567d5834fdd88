using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ttp.Portal.Security;

/// <summary>
/// The embedded default server certificate: created on first run under the data directory when no certificate is
/// configured, so that the portal starts on a fresh machine with TLS. Not for production: configure a real one
/// (Kestrel <c>Certificate:Path</c>/<c>KeyPath</c>).
/// </summary>
internal static class SelfSignedCertificate
{
    private const string FileName = "server.pfx";

    /// <summary>Loads <c>tls/server.pfx</c> under <paramref name="dataDirectory"/>, creating it (mode 0600) when missing or expired.</summary>
    public static X509Certificate2 LoadOrCreate(string dataDirectory, out bool created)
    {
        var folder = Path.Combine(dataDirectory, "tls");
        var path = Path.Combine(folder, FileName);
        if (File.Exists(path))
        {
            var existing = X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
            if (existing.NotAfter > DateTime.UtcNow.AddDays(7))
            {
                created = false;
                return existing;
            }

            existing.Dispose();
        }

        Ttp.Domain.Data.DataFiles.CreateDirectory(dataDirectory);
        Ttp.Domain.Data.DataFiles.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=TTP key server (self-signed)", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));

        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        var pfx = certificate.Export(X509ContentType.Pkcs12);
        try
        {
            WritePrivateFile(path, pfx);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pfx);
        }

        created = true;
        return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
    }

    /// <summary>The SHA-256 fingerprint an operator compares in the browser, colon-separated.</summary>
    public static string Sha256Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(c => new string(c)));

    private static void WritePrivateFile(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
    }
}
