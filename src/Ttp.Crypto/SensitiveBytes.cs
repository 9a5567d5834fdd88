using System.Security.Cryptography;

namespace Ttp.Crypto;

/// <summary>
/// Owns a buffer of key material and clears it (<see cref="CryptographicOperations.ZeroMemory"/>) on dispose:
/// <c>using var key = new SensitiveBytes(Hex.Parse(text, "key"));</c>.
/// </summary>
/// <param name="bytes">The buffer, now owned by this value.</param>
public readonly struct SensitiveBytes(byte[] bytes) : IDisposable
{
    /// <summary>The key material; valid until disposed.</summary>
    public byte[] Bytes { get; } = bytes;

    /// <summary>Clears the buffer.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(Bytes);
}
