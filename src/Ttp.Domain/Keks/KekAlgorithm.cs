namespace Ttp.Domain.Keks;

/// <summary>Algorithm and length of a key-exchange key.</summary>
public enum KekAlgorithm
{
    /// <summary>2-key TDES, 16 bytes.</summary>
    Tdes2 = 1,

    /// <summary>3-key TDES, 24 bytes.</summary>
    Tdes3 = 2,

    /// <summary>AES-128.</summary>
    Aes128 = 3,

    /// <summary>AES-192.</summary>
    Aes192 = 4,

    /// <summary>AES-256.</summary>
    Aes256 = 5,
}
