using System.Security.Cryptography;

namespace Ttp.Domain.Audit;

/// <summary>
/// The HMAC-SHA256 key of the audit chain (32 bytes). Kept in memory by the audit writer and verifier; stored only as
/// an envelope under the LMK (<see cref="KeyStore.SystemKey"/>). Cleared on dispose.
/// </summary>
public sealed class AuditKey : IDisposable
{
    /// <summary>Key length in bytes.</summary>
    public const int Length = 32;

    private readonly byte[] _key;

    /// <summary>Takes ownership of <paramref name="key"/> (32 bytes).</summary>
    public AuditKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != Length)
        {
            throw new ArgumentException($"The audit key must be {Length} bytes.", nameof(key));
        }

        _key = key;
    }

    /// <summary>The key bytes, for HMAC computation.</summary>
    public ReadOnlySpan<byte> Bytes => _key;

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
