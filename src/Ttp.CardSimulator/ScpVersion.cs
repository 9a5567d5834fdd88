namespace Ttp.CardSimulator;

/// <summary>The secure channel protocol of a key set.</summary>
public enum ScpVersion
{
    /// <summary>SCP02 (GlobalPlatform Card Specification 2.3.1, annex E): 2-key TDES keys.</summary>
    Scp02 = 0x02,

    /// <summary>SCP03 (GlobalPlatform Card Specification 2.3.1 Amendment D): AES-128, -192 or -256 keys.</summary>
    Scp03 = 0x03,
}
