using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ttp.TsmClient.Ttp;

/// <summary>
/// Which TTP the client talks to: one whose TLS certificate chains to a certificate of the <c>--ca</c> file (the TTP's CA,
/// or its self-signed server certificate) and names the host of the URL. The system's trust store is not used: a card
/// may name any URL in 5F50, and a publicly trusted certificate does not make a server the TSM's TTP.
/// </summary>
internal sealed class ServerTrust
{
    private readonly X509Certificate2Collection anchors;

    private ServerTrust(X509Certificate2Collection anchors) => this.anchors = anchors;

    /// <summary>Why the last certificate was refused, for the error message (null when none was).</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Reads the <c>--ca</c> file: one or more PEM certificates.</summary>
    /// <exception cref="ProvisionException">The file cannot be read or holds no certificate (exit 2).</exception>
    public static ServerTrust Load(string path)
    {
        var anchors = new X509Certificate2Collection();
        try
        {
            anchors.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ProvisionException("input", ExitCodes.BadInput, $"--ca: cannot read certificates from {path} ({e.GetType().Name})");
        }

        return anchors.Count == 0
            ? throw new ProvisionException("input", ExitCodes.BadInput, $"--ca: {path} holds no PEM certificate")
            : new ServerTrust(anchors);
    }

    /// <summary>The TLS validation callback: the host name must match and the chain must end at one of the anchors.</summary>
    public bool Validate(X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return Refuse("the TTP presented no certificate");
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return Refuse($"the TTP's certificate ({certificate.Subject}) does not name the host of the URL");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(certificate))
        {
            var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            return Refuse($"the TTP's certificate ({certificate.Subject}) does not chain to a certificate of --ca ({status})");
        }

        LastRefusal = null;
        return true;
    }

    private bool Refuse(string reason)
    {
        LastRefusal = reason;
        return false;
    }
}
