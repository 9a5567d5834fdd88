namespace Ttp.Domain.Ceremonies;

/// <summary>
/// Who entered component <see cref="Number"/> of a ceremony, and of which key: the only trace a component leaves. Unique
/// per key and person, so one person holds at most one component of a key across every ceremony of that key.
/// </summary>
public sealed class CeremonyComponent
{
    private CeremonyComponent()
    {
    }

    public Guid Id { get; private set; }

    public Guid CeremonyId { get; private set; }

    /// <summary>The key, as <see cref="Ceremony.KeyReference"/>.</summary>
    public string KeyReference { get; private set; } = string.Empty;

    /// <summary>1-based number of the component in its ceremony.</summary>
    public int Number { get; private set; }

    /// <summary>The custodian's actor id.</summary>
    public string Custodian { get; private set; } = string.Empty;

    /// <summary>When it was entered, or for a generated KEK, handed out.</summary>
    public DateTimeOffset EnteredAt { get; private set; }

    /// <summary>For a generated KEK: when the custodian confirmed they recorded their component (null until then).</summary>
    public DateTimeOffset? AcknowledgedAt { get; private set; }

    internal void Acknowledge(DateTimeOffset now)
    {
        if (AcknowledgedAt is not null)
        {
            throw new RuleViolationException($"component {Number} was already acknowledged");
        }

        AcknowledgedAt = now;
    }

    internal static CeremonyComponent Record(Ceremony ceremony, int number, Actor custodian, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        CeremonyId = ceremony.Id,
        KeyReference = ceremony.KeyReference,
        Number = number,
        Custodian = custodian.Id,
        EnteredAt = now,
    };
}
