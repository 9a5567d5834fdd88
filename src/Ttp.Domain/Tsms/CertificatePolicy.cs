using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ttp.Domain.Tsms;

/// <summary>
/// What a TSM client certificate must satisfy to be registered: currently valid, usable for TLS client
/// authentication, and a key of at least 2048-bit RSA or 256-bit EC.
/// </summary>
public static class CertificatePolicy
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>Throws <see cref="RuleViolationException"/> naming the first requirement the certificate misses.</summary>
    public static void Check(CertificateInfo info, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (now < info.NotBefore)
        {
            throw new RuleViolationException($"certificate: not valid before {info.NotBefore:u}");
        }

        if (now > info.NotAfter)
        {
            throw new RuleViolationException($"certificate: expired on {info.NotAfter:u}");
        }

        using var certificate = X509CertificateLoader.LoadCertificate(info.Der);
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usages is not null && !usages.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuthOid))
        {
            throw new RuleViolationException("certificate: its extended key usage does not allow TLS client authentication (clientAuth)");
        }

        using var rsa = certificate.GetRSAPublicKey();
        using var ec = certificate.GetECDsaPublicKey();
        var (kind, bits, minimum) = rsa is not null ? ("RSA", rsa.KeySize, 2048)
            : ec is not null ? ("EC", ec.KeySize, 256)
            : ("unsupported", 0, 1);
        if (bits < minimum)
        {
            throw new RuleViolationException(kind == "unsupported"
                ? "certificate: key type is neither RSA nor EC"
                : $"certificate: {kind} key of {bits} bits is too weak; at least {minimum} bits are required");
        }
    }
}
