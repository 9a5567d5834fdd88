using System.Security.Cryptography;
using Ttp.Domain.KeyRequests;

namespace Ttp.Portal.Soap;

/// <summary>The caller of a SOAP request as the TLS layer established it.</summary>
internal static class SoapCaller
{
    /// <summary>The client certificate's SHA-256 thumbprint and expiry, and the remote address.</summary>
    public static KeyRequestCaller From(HttpContext context)
    {
        // Kestrel's handshake already required a pinned certificate on the SOAP port.
        var certificate = context.Connection.ClientCertificate;
        return new KeyRequestCaller(
            certificate is null ? string.Empty : Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)),
            certificate is null ? DateTimeOffset.MinValue : new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            context.Connection.RemoteIpAddress?.ToString());
    }
}
