using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ttp.Domain.Tsms;

/// <summary>What the TTP records of a TSM client certificate, read from PEM or DER.</summary>
public sealed record CertificateInfo(
    string Sha256Thumbprint,
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    byte[] Der)
{
    /// <summary>Reads one X.509 certificate from PEM (<c>-----BEGIN CERTIFICATE-----</c>) or DER bytes.</summary>
    /// <exception cref="DomainInputException">Neither a PEM nor a DER certificate.</exception>
    public static CertificateInfo Read(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            using var certificate = LooksLikePem(content)
                ? X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(content))
                : X509CertificateLoader.LoadCertificate(content);
            var der = certificate.RawData;
            return new CertificateInfo(
                Convert.ToHexString(SHA256.HashData(der)),
                certificate.Subject,
                certificate.Issuer,
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                der);
        }
        catch (CryptographicException)
        {
            throw new DomainInputException("certificate: expected one X.509 certificate in PEM or DER form");
        }
        catch (ArgumentException)
        {
            throw new DomainInputException("certificate: expected one X.509 certificate in PEM or DER form");
        }
    }

    private static bool LooksLikePem(byte[] content) =>
        Encoding.ASCII.GetString(content, 0, Math.Min(content.Length, 200)).Contains("-----BEGIN", StringComparison.Ordinal);
}
