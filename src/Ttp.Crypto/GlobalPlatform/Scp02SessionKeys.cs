using System.Security.Cryptography;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// The session keys of an SCP02 secure channel (GlobalPlatform Card Specification 2.3.1, E.4.1), as derived by
/// <see cref="Scp02.DeriveSessionKeys"/>. The arrays are owned by this object and zeroed by <see cref="Dispose"/>.
/// </summary>
public sealed class Scp02SessionKeys : IDisposable
{
    internal Scp02SessionKeys(byte[] sEnc, byte[] sMac, byte[] sRmac, byte[] sDek)
    {
        SEnc = sEnc;
        SMac = sMac;
        SRmac = sRmac;
        SDek = sDek;
    }

    /// <summary>S-ENC, the session encryption key (constant <c>0182</c>, from the static ENC key).</summary>
    public byte[] SEnc { get; }

    /// <summary>C-MAC session key S-MAC (constant <c>0101</c>, from the static MAC key).</summary>
    public byte[] SMac { get; }

    /// <summary>R-MAC session key (constant <c>0102</c>, from the static MAC key).</summary>
    public byte[] SRmac { get; }

    /// <summary>Session data encryption key S-DEK (constant <c>0181</c>, from the static DEK).</summary>
    public byte[] SDek { get; }

    /// <summary>Zeroes the session keys.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(SEnc);
        CryptographicOperations.ZeroMemory(SMac);
        CryptographicOperations.ZeroMemory(SRmac);
        CryptographicOperations.ZeroMemory(SDek);
    }
}
