namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// How the three card static keys (ENC, MAC, DEK) are derived from an issuer master key and the card's
/// 10-byte Key Diversification Data (KDD: tag <c>CF</c> of GET DATA, GlobalPlatform Card Specification 2.3.1, 11.3;
/// also the first 10 bytes of the INITIALIZE UPDATE response, E.5.1.6). The scheme is a per-key-set
/// choice: GlobalPlatform standardises none for SCP03, so more schemes may be added.
/// </summary>
public enum DiversificationMethod
{
    /// <summary>No diversification: the three card keys equal the master key (a card personalised with one static key set).</summary>
    None = 0,

    /// <summary>
    /// EMV Card Personalization Specification 1.1, card key derivation from the issuer master key (KMC): 2-key TDES master key,
    /// <c>K_id = TDES-ECB(MK, KDD[4..9] || F0 || id || KDD[4..9] || 0F || id)</c>; used with SCP02.
    /// </summary>
    EmvCps11 = 1,

    /// <summary>
    /// VISA2 (Visa GlobalPlatform card implementation requirements): as <see cref="EmvCps11"/> with
    /// <c>KDD[0..1] || KDD[4..7]</c> in place of <c>KDD[4..9]</c>; used with SCP02.
    /// </summary>
    Visa2 = 2,

    /// <summary>
    /// KDF3 (the SCP03 scheme of GlobalPlatformPro): NIST SP 800-108 counter mode with AES-CMAC, 8-bit counter first,
    /// input <c>i || 00 00 00 || id || 00 || KDD</c>, blocks concatenated and cut to the master key length;
    /// AES-128/192/256 master key.
    /// </summary>
    Kdf3 = 3,
}
