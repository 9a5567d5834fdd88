using System.Globalization;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Keks;

/// <summary>A key-exchange key shared by the TTP and one TSM, identified by the TSM and an index (1..n).</summary>
public sealed class Kek
{
    private Kek()
    {
    }

    public Guid Id { get; private set; }

    public Guid TsmId { get; private set; }

    public int Index { get; private set; }

    public KekAlgorithm Algorithm { get; private set; }

    public KekFormat Format { get; private set; }

    /// <summary>Check value (DES or AES GlobalPlatform, 3 bytes, uppercase hex).</summary>
    public string KeyCheckValue { get; private set; } = string.Empty;

    public KekState State { get; private set; }

    public KeyEnvelope Envelope { get; private set; } = new();

    public string CreatedBy { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// The envelope's associated data, with everything that decides whom the KEK serves and how (its TSM, index,
    /// algorithm and delivery format): a KEK re-pointed to another TSM, or changed otherwise, stays sealed.
    /// </summary>
    public EnvelopeContext EnvelopeContext => new(Id, KeyKind.Kek, Algorithm.ToString().ToUpperInvariant(), Index, string.Create(
        CultureInfo.InvariantCulture, $"tsm={TsmId:D};index={Index};algorithm={(int)Algorithm};format={(int)Format}"));

    /// <summary>Key length in bytes for an algorithm.</summary>
    public static int LengthOf(KekAlgorithm algorithm) => algorithm switch
    {
        KekAlgorithm.Tdes2 => 16,
        KekAlgorithm.Tdes3 => 24,
        KekAlgorithm.Aes128 => 16,
        KekAlgorithm.Aes192 => 24,
        KekAlgorithm.Aes256 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown KEK algorithm."),
    };

    /// <summary>True for the AES algorithms.</summary>
    public static bool IsAes(KekAlgorithm algorithm) => algorithm is KekAlgorithm.Aes128 or KekAlgorithm.Aes192 or KekAlgorithm.Aes256;

    internal static Kek Create(Guid id, Guid tsmId, int index, KekAlgorithm algorithm, KekFormat format, string keyCheckValue, Actor actor, DateTimeOffset now)
    {
        if (index is < 1 or > 255)
        {
            throw new DomainInputException("index: expected a KEK index from 1 to 255");
        }

        return new Kek
        {
            Id = id,
            TsmId = tsmId,
            Index = index,
            Algorithm = algorithm,
            Format = format,
            KeyCheckValue = keyCheckValue,
            State = KekState.Active,
            CreatedBy = actor.Id,
            CreatedAt = now,
        };
    }

    internal void Seal(KeyEnvelope envelope) => Envelope = envelope;
}
