using System.Security.Cryptography;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// The session keys of an SCP03 secure channel (GlobalPlatform Card Specification 2.3.1 Amendment D v1.1.2, 6.2.1),
/// as derived by <see cref="Scp03.DeriveSessionKeys"/>. The DEK is not session-derived in SCP03.
/// The arrays are owned by this object and zeroed by <see cref="Dispose"/>.
/// </summary>
public sealed class Scp03SessionKeys : IDisposable
{
    internal Scp03SessionKeys(byte[] sEnc, byte[] sMac, byte[] sRmac)
    {
        SEnc = sEnc;
        SMac = sMac;
        SRmac = sRmac;
    }

    /// <summary>S-ENC, the session encryption key (derivation constant 04, from the static ENC key).</summary>
    public byte[] SEnc { get; }

    /// <summary>S-MAC, the session command MAC key (derivation constant 06, from the static MAC key).</summary>
    public byte[] SMac { get; }

    /// <summary>S-RMAC, the session response MAC key (derivation constant 07, from the static MAC key).</summary>
    public byte[] SRmac { get; }

    /// <summary>Zeroes the session keys.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(SEnc);
        CryptographicOperations.ZeroMemory(SMac);
        CryptographicOperations.ZeroMemory(SRmac);
    }
}
