using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ttp.Cli.Tests.Admin;

/// <summary>Throw-away TSM client certificates written as PEM files.</summary>
internal static class TestCertificates
{
    public static string WriteClientCertificate(string folder, string name, int rsaBits = 2048, bool clientAuth = true, int validDays = 365)
    {
        using var key = RSA.Create(rsaBits);
        var request = new CertificateRequest($"CN={name}, O=Test TSM", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(clientAuth ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(validDays));
        var path = Path.Combine(folder, name + ".pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }
}
