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

    /// <summary>A throw-away certification authority (RSA 2048, CA basic constraints, keyCertSign), with its private key.</summary>
    public static X509Certificate2 CreateAuthority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}, O=Test CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-2), now.AddDays(60));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>
    /// A TSM client certificate (RSA 2048, clientAuth) issued by <paramref name="authority"/>, with its private key; valid
    /// from a day ago for 30 days unless <paramref name="notBefore"/> and <paramref name="notAfter"/> say otherwise.
    /// </summary>
    public static X509Certificate2 CreateIssuedBy(X509Certificate2 authority, string name, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}, O=Test TSM", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(authority, notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(30), RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }
}
