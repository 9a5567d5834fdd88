namespace Ttp.Domain.Tsms;

/// <summary>
/// What an operator sees of a client certificate before registering it: its identity, validity, key, pin, and every
/// requirement it misses (empty when it can be registered).
/// </summary>
/// <param name="Certificate">The certificate as read.</param>
/// <param name="KeyType">RSA, EC, or the algorithm name of another key type.</param>
/// <param name="KeySize">The key size in bits (0 when unknown).</param>
/// <param name="Problems">One sentence per requirement the certificate misses, in the order they are checked.</param>
public sealed record CertificatePreview(CertificateInfo Certificate, string KeyType, int KeySize, IReadOnlyList<string> Problems)
{
    public string Subject => Certificate.Subject;

    public string Issuer => Certificate.Issuer;

    public DateTimeOffset NotBefore => Certificate.NotBefore;

    public DateTimeOffset NotAfter => Certificate.NotAfter;

    public string Sha256Thumbprint => Certificate.Sha256Thumbprint;

    /// <summary>Whether the certificate meets every requirement.</summary>
    public bool IsAcceptable => Problems.Count == 0;
}
