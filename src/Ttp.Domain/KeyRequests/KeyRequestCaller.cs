namespace Ttp.Domain.KeyRequests;

/// <summary>Who called, as the TLS layer established it: the client certificate's SHA-256 thumbprint and remote address.</summary>
/// <param name="CertificateSha256Thumbprint">Uppercase hex SHA-256 of the DER client certificate.</param>
/// <param name="CertificateNotAfter">The certificate's expiry.</param>
/// <param name="RemoteAddress">The peer's address, for the audit record.</param>
public sealed record KeyRequestCaller(string CertificateSha256Thumbprint, DateTimeOffset CertificateNotAfter, string? RemoteAddress);
