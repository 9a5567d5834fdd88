using System.Security.Cryptography;

namespace Ttp.Domain.Audit;

/// <summary>
/// The ECDSA P-256 key that signs the audit trail's checkpoints (<see cref="AuditCheckpoint"/>). Its private scalar is
/// stored only as an LMK envelope (<see cref="KeyStore.SystemKey.AuditSigningKeyId"/>); in memory it lives in the
/// crypto library's key object, released on dispose. The public half is <see cref="PublicKey"/>.
/// </summary>
public sealed class AuditSigningKey : IDisposable
{
    /// <summary>Length of the sealed private scalar in bytes.</summary>
    public const int ScalarLength = 32;

    private readonly ECDsa _key;

    private AuditSigningKey(ECDsa key)
    {
        _key = key;
        PublicKey = AuditPublicKey.FromKey(key);
    }

    /// <summary>The public key: what verifies the checkpoints.</summary>
    public AuditPublicKey PublicKey { get; }

    /// <summary>Signs <paramref name="payload"/>: ECDSA P-256 over SHA-256, DER-encoded (RFC 3279 Ecdsa-Sig-Value).</summary>
    public byte[] Sign(ReadOnlySpan<byte> payload) =>
        _key.SignData(payload, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    /// <inheritdoc />
    public void Dispose()
    {
        PublicKey.Dispose();
        _key.Dispose();
    }

    /// <summary>A new private scalar (a fresh P-256 key's), in a pinned buffer the caller clears.</summary>
    internal static byte[] GeneratePrivateScalar()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        try
        {
            var scalar = GC.AllocateArray<byte>(ScalarLength, pinned: true);
            parameters.D.AsSpan().CopyTo(scalar);
            return scalar;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    /// <summary>The key with this private scalar (the public point is derived); the caller clears <paramref name="scalar"/>.</summary>
    internal static AuditSigningKey FromPrivateScalar(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != ScalarLength)
        {
            throw new ArgumentException($"The audit signing key's scalar must be {ScalarLength} bytes.", nameof(scalar));
        }

        var d = scalar.ToArray();
        var key = ECDsa.Create();
        try
        {
            key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
            return new AuditSigningKey(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }
    }
}
