namespace Ttp.Domain.Alerts;

/// <summary>What an alert is about; stored as its number.</summary>
public enum AlertKind
{
    /// <summary>One card (IIN, KDD) answered (<c>ok</c>) to two or more different TSMs.</summary>
    SameCardTwoTsms = 1,

    /// <summary>A TSM's key requests in the last hour far above its own hourly average of the previous 7 days.</summary>
    RequestRate = 2,

    /// <summary>Many key requests of one TSM refused with the same outcome within a short window.</summary>
    RepeatedFaults = 3,

    /// <summary>An integrity failure: a damaged access record or stored key, an audit record that does not match its hash,
    /// or a verification of the audit chain that failed.</summary>
    IntegrityFailure = 4,
}
