using System.ComponentModel.DataAnnotations;

namespace Ttp.Domain.Ceremonies;

/// <summary>Section <c>Ttp:Ceremonies</c>: how long a key ceremony stays open, and how often overdue ones are expired.</summary>
public sealed class CeremonyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ttp:Ceremonies";

    /// <summary>Minutes from opening after which a ceremony expires and its partial is destroyed (default 60).</summary>
    [Range(1, 24 * 60, ErrorMessage = "Ttp:Ceremonies:ExpiryMinutes must be between 1 and 1440.")]
    public int ExpiryMinutes { get; set; } = 60;

    /// <summary>
    /// Seconds between two sweeps of the portal's expiry timer, which expires every overdue ceremony
    /// (<see cref="CeremonyService.ExpireOverdueAsync"/>) and so destroys its partial without waiting for a next step (default 60).
    /// </summary>
    [Range(1, 60 * 60, ErrorMessage = "Ttp:Ceremonies:SweepSeconds must be between 1 and 3600.")]
    public int SweepSeconds { get; set; } = 60;
}
