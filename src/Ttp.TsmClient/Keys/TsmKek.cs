using System.Security.Cryptography;
using Ttp.Crypto;

namespace Ttp.TsmClient.Keys;

/// <summary>The TSM's key-exchange key in the clear, in memory only (a real TSM keeps it in its HSM). Zeroed on dispose.</summary>
internal sealed class TsmKek(bool isAes, byte[] key) : IDisposable
{
    public bool IsAes { get; } = isAes;

    public byte[] Key { get; } = key;

    /// <summary>The check value the TTP gives as <c>KekCheckValue</c>: DES or AES GlobalPlatform, 3 bytes.</summary>
    public byte[] CheckValue() => IsAes ? KeyCheckValue.AesGlobalPlatform(Key) : KeyCheckValue.Des(Key);

    public void Dispose() => CryptographicOperations.ZeroMemory(Key);
}
