using System.Security.Cryptography;

namespace Ttp.Domain.Audit;

/// <summary>
/// The public half of the audit signing key: verifies checkpoint signatures (ECDSA P-256 with SHA-256, DER-encoded
/// signatures). What an auditor keeps outside the TTP, as PEM (SubjectPublicKeyInfo), with its <see cref="Fingerprint"/>.
/// </summary>
public sealed class AuditPublicKey : IDisposable
{
    private readonly ECDsa _key;

    private AuditPublicKey(ECDsa key)
    {
        _key = key;
        var spki = key.ExportSubjectPublicKeyInfo();
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(spki));
        Pem = PemEncoding.WriteString("PUBLIC KEY", spki) + "\n";
    }

    /// <summary>The key as PEM: <c>-----BEGIN PUBLIC KEY-----</c>, SubjectPublicKeyInfo (RFC 5480), LF line ends.</summary>
    public string Pem { get; }

    /// <summary>SHA-256 of the DER SubjectPublicKeyInfo, 64 lower-case hex digits: the key id every checkpoint names.</summary>
    public string Fingerprint { get; }

    /// <summary>Reads a PEM SubjectPublicKeyInfo of an ECDSA P-256 key.</summary>
    /// <exception cref="FormatException">Not a PEM public key, or not on curve P-256.</exception>
    public static AuditPublicKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return FromKey(key);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new FormatException("not a PEM public key (-----BEGIN PUBLIC KEY-----) of ECDSA on curve P-256");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>True when <paramref name="signature"/> (DER) is this key's ECDSA P-256 / SHA-256 signature of <paramref name="payload"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
    {
        try
        {
            return _key.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    /// <summary>Takes the public part of <paramref name="source"/> (which the caller keeps).</summary>
    internal static AuditPublicKey FromKey(ECDsa source)
    {
        var parameters = source.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new FormatException("the audit signing key is on curve P-256 only");
        }

        var key = ECDsa.Create(parameters);
        return new AuditPublicKey(key);
    }
}
