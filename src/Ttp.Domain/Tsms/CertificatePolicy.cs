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
        var problems = Problems(info, now);
        if (problems.Count > 0)
        {
            throw new RuleViolationException(problems[0]);
        }
    }

    /// <summary>Every requirement the certificate misses at <paramref name="now"/>, one sentence each; empty when none.</summary>
    public static IReadOnlyList<string> Problems(CertificateInfo info, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(info);
        var problems = new List<string>();
        if (now < info.NotBefore)
        {
            problems.Add($"certificate: not valid before {info.NotBefore:u}");
        }

        if (now > info.NotAfter)
        {
            problems.Add($"certificate: expired on {info.NotAfter:u}");
        }

        using var certificate = X509CertificateLoader.LoadCertificate(info.Der);
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (usages is not null && !usages.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuthOid))
        {
            problems.Add("certificate: its extended key usage does not allow TLS client authentication (clientAuth)");
        }

        var (kind, bits) = Key(certificate);
        var minimum = kind switch { "RSA" => 2048, "EC" => 256, _ => 0 };
        if (minimum == 0)
        {
            problems.Add("certificate: key type is neither RSA nor EC");
        }
        else if (bits < minimum)
        {
            problems.Add($"certificate: {kind} key of {bits} bits is too weak; at least {minimum} bits are required");
        }

        return problems;
    }

    /// <summary>The key type (RSA, EC or the algorithm's OID name) and size in bits of the certificate's public key.</summary>
    public static (string KeyType, int KeySize) Key(CertificateInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        using var certificate = X509CertificateLoader.LoadCertificate(info.Der);
        return Key(certificate);
    }

    private static (string KeyType, int KeySize) Key(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return ("RSA", rsa.KeySize);
        }

        using var ec = certificate.GetECDsaPublicKey();
        if (ec is not null)
        {
            return ("EC", ec.KeySize);
        }

        var oid = certificate.PublicKey.Oid;
        return (oid.FriendlyName ?? oid.Value ?? "unknown", 0);
    }
}
