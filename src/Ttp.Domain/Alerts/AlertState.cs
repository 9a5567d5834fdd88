namespace Ttp.Domain.Alerts;

/// <summary>Where an alert stands; stored as its number.</summary>
public enum AlertState
{
    /// <summary>Raised and not yet seen to: recurrences of its condition add to its count.</summary>
    Open = 1,

    /// <summary>An Auditor or Security officer acknowledged it (final); a later recurrence opens a new alert.</summary>
    Acknowledged = 2,
}
