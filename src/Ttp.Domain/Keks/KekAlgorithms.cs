namespace Ttp.Domain.Keks;

/// <summary>The facts of a <see cref="KekAlgorithm"/> beyond its length (<see cref="Kek.LengthOf"/>) and family (<see cref="Kek.IsAes"/>).</summary>
public static class KekAlgorithms
{
    /// <summary>The effective strength in bits of a KEK (NIST SP 800-57 part 1: 2-key TDES 80, 3-key TDES 112, AES its length).</summary>
    public static int Strength(this KekAlgorithm algorithm) => algorithm switch
    {
        KekAlgorithm.Tdes2 => 80,
        KekAlgorithm.Tdes3 => 112,
        KekAlgorithm.Aes128 => 128,
        KekAlgorithm.Aes192 => 192,
        KekAlgorithm.Aes256 => 256,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown KEK algorithm."),
    };
}
