using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ttp.Portal.Tests.Soap;

/// <summary>Throw-away TSM client certificates (RSA 2048, clientAuth), with their private key for the TLS client.</summary>
internal static class TestClientCertificates
{
    public static X509Certificate2 Create(string name, TimeSpan? validFor = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}, O=Test TSM", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now + (validFor ?? TimeSpan.FromDays(30)));
        // Through PKCS#12 so that SslStream can use the private key on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }
}
