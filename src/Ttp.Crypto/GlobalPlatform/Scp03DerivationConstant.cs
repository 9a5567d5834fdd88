namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// The derivation constants of the SCP03 key derivation function
/// (GlobalPlatform Card Specification 2.3.1 Amendment D v1.1.2, 4.1.5, table 4-1).
/// </summary>
public static class Scp03DerivationConstant
{
    /// <summary>Card cryptogram, derived from S-MAC.</summary>
    public const byte CardCryptogram = 0x00;

    /// <summary>Host cryptogram, derived from S-MAC.</summary>
    public const byte HostCryptogram = 0x01;

    /// <summary>Pseudo-random card challenge, derived from the static ENC key (Amendment D v1.1.2, 6.2.2.1).</summary>
    public const byte CardChallenge = 0x02;

    /// <summary>Session encryption key S-ENC, derived from the static ENC key.</summary>
    public const byte SEnc = 0x04;

    /// <summary>Session command MAC key S-MAC, derived from the static MAC key.</summary>
    public const byte SMac = 0x06;

    /// <summary>Session response MAC key S-RMAC, derived from the static MAC key.</summary>
    public const byte SRmac = 0x07;
}
