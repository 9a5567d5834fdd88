using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ttp.Domain.Tests.Tsms;

/// <summary>Self-signed client certificates for accreditation tests, generated per test (public data only is kept).</summary>
internal static class TestCertificates
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>A certificate valid from a day ago for 30 days, EC P-256 with clientAuth, unless told otherwise.</summary>
    public static byte[] Create(
        string subject = "CN=tsm, O=Test TSM",
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        int? rsaBits = null,
        bool clientAuth = true)
    {
        var now = DateTimeOffset.UtcNow;
        using var rsa = rsaBits is { } bits ? RSA.Create(bits) : null;
        using var ec = rsa is null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        var request = rsa is not null
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, ec!, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid(clientAuth ? ClientAuthOid : ServerAuthOid) }, critical: false));
        using var certificate = request.CreateSelfSigned(notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(30));
        return certificate.RawData;
    }

    /// <summary>The PEM form of a DER certificate.</summary>
    public static byte[] Pem(byte[] der) =>
        System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE", der));
}
