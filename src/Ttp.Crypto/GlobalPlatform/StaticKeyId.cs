namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// Key identifiers of a Security Domain's secure channel key set: the values used in PUT KEY, in the Key
/// Information Template and in the diversification data (GlobalPlatform Card Specification 2.3.1, E.2 for SCP02;
/// Amendment D v1.1.2 keeps the same three keys for SCP03).
/// </summary>
public enum StaticKeyId : byte
{
    /// <summary>The secure channel encryption key (ENC), key identifier 1.</summary>
    Enc = 1,

    /// <summary>The secure channel message authentication key (MAC), key identifier 2.</summary>
    Mac = 2,

    /// <summary>The data encryption key (DEK), key identifier 3.</summary>
    Dek = 3,
}
