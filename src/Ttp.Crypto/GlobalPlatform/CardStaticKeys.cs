using System.Security.Cryptography;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// The three static keys of a card's secure channel key set (GlobalPlatform Card Specification 2.3.1, E.2;
/// Amendment D v1.1.2 for SCP03), as derived by <see cref="KeyDiversification.DeriveAll"/>.
/// The arrays are owned by this object and zeroed by <see cref="Dispose"/>.
/// </summary>
public sealed class CardStaticKeys : IDisposable
{
    internal CardStaticKeys(byte[] enc, byte[] mac, byte[] dek)
    {
        Enc = enc;
        Mac = mac;
        Dek = dek;
    }

    /// <summary>The secure channel encryption key (key identifier 1).</summary>
    public byte[] Enc { get; }

    /// <summary>The secure channel message authentication key (key identifier 2).</summary>
    public byte[] Mac { get; }

    /// <summary>The data encryption key (key identifier 3).</summary>
    public byte[] Dek { get; }

    /// <summary>Zeroes the three keys.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(Enc);
        CryptographicOperations.ZeroMemory(Mac);
        CryptographicOperations.ZeroMemory(Dek);
    }
}
