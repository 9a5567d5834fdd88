using System.Security.Cryptography;

namespace Ttp.TsmClient.Keys;

/// <summary>A card's static key set in the clear, in memory only: ENC, MAC and DEK (key ids 1 to 3). Zeroed on dispose.</summary>
internal sealed class CardKeys(byte[] enc, byte[] mac, byte[] dek) : IDisposable
{
    public byte[] Enc { get; } = enc;

    public byte[] Mac { get; } = mac;

    public byte[] Dek { get; } = dek;

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(Enc);
        CryptographicOperations.ZeroMemory(Mac);
        CryptographicOperations.ZeroMemory(Dek);
    }
}
