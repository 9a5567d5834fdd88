using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ttp.TsmClient.Ttp;

/// <summary>The TSM's TLS client certificate: a PEM certificate with its PEM private key (in the same file or in <c>--client-key</c>).</summary>
internal static class ClientCertificate
{
    /// <exception cref="ProvisionException">Unreadable, no private key, or not valid now (exit 2).</exception>
    public static X509Certificate2 Load(string certificatePath, string? keyPath, DateTimeOffset now)
    {
        X509Certificate2 certificate;
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // A certificate whose key came from PEM is ephemeral; TLS on some platforms needs it as PKCS#12.
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ProvisionException("input", ExitCodes.BadInput,
                $"--client-cert: cannot read a PEM certificate with its private key from {certificatePath}{(keyPath is null ? string.Empty : " and " + keyPath)} ({e.GetType().Name})");
        }

        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            var subject = certificate.Subject;
            certificate.Dispose();
            throw new ProvisionException("input", ExitCodes.BadInput, $"--client-cert: the certificate ({subject}) is not valid now");
        }

        return certificate;
    }
}
