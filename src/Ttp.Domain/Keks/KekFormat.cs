namespace Ttp.Domain.Keks;

/// <summary>How keys are delivered under a KEK.</summary>
public enum KekFormat
{
    /// <summary>TR-31 / ANSI X9.143 key blocks (version D under AES, B under TDES). The default.</summary>
    Tr31 = 1,

    /// <summary>GlobalPlatform PUT KEY style encryption (3DES-ECB or AES-CBC with zero ICV). Legacy.</summary>
    GpEncrypted = 2,
}
