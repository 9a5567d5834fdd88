using System.Security.Cryptography;

namespace Ttp.CardSimulator;

/// <summary>
/// One key set of the Issuer Security Domain: key version number, protocol, implementation option <c>i</c> and the
/// static keys ENC, MAC and DEK (key ids 01, 02, 03). Owns its key arrays and zeroes them on <see cref="Dispose"/>.
/// </summary>
public sealed class CardKeySet : IDisposable
{
    public CardKeySet(byte keyVersion, ScpVersion scp, byte option, byte[] enc, byte[] mac, byte[] dek)
    {
        KeyVersion = keyVersion;
        Scp = scp;
        Option = option;
        Enc = enc;
        Mac = mac;
        Dek = dek;
    }

    /// <summary>The key version number (KVN), 01 to 7F.</summary>
    public byte KeyVersion { get; }

    public ScpVersion Scp { get; }

    /// <summary>The implementation option <c>i</c> (SCP02: 15 or 55; SCP03: 00, 10 or 70).</summary>
    public byte Option { get; }

    public byte[] Enc { get; }

    public byte[] Mac { get; }

    public byte[] Dek { get; }

    /// <summary>The key length in bytes (all three keys have it).</summary>
    public int KeyLength => Enc.Length;

    /// <summary>Whether the card challenge is derived from the ENC key and the counter (SCP03 <c>i</c> bit 5, Amendment D v1.1.2, 5.1).</summary>
    public bool PseudoRandomChallenge => Scp == ScpVersion.Scp03 && (Option & 0x10) != 0;

    /// <summary>Whether R-MAC is supported (SCP03 <c>i</c> bit 6, Amendment D v1.1.2, 5.1).</summary>
    public bool SupportsResponseMac => Scp == ScpVersion.Scp03 && (Option & 0x20) != 0;

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(Enc);
        CryptographicOperations.ZeroMemory(Mac);
        CryptographicOperations.ZeroMemory(Dek);
    }
}
