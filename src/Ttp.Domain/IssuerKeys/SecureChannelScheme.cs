namespace Ttp.Domain.IssuerKeys;

/// <summary>The secure channel protocol the card keys serve (GlobalPlatform Card Specification 2.3.1, E and F).</summary>
public enum SecureChannelScheme
{
    /// <summary>SCP02: 2-key TDES (16-byte) keys.</summary>
    Scp02 = 2,

    /// <summary>SCP03: AES-128/192/256 keys (Amendment D).</summary>
    Scp03 = 3,
}
