using System.ComponentModel.DataAnnotations;

namespace Ttp.Domain.Alerts;

/// <summary>Section <c>Ttp:Alerts</c>: how often the audit trail is scanned for alerts, and the thresholds.</summary>
public sealed class AlertOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ttp:Alerts";

    /// <summary>Seconds between two scans of the portal's alert scanner (default 60).</summary>
    [Range(1, 3600, ErrorMessage = "Ttp:Alerts:ScanSeconds must be between 1 and 3600.")]
    public int ScanSeconds { get; set; } = 60;

    /// <summary>Most records one scan reads; a longer backlog is read over the next scans (default 20000).</summary>
    [Range(100, 1_000_000, ErrorMessage = "Ttp:Alerts:BatchSize must be between 100 and 1000000.")]
    public int BatchSize { get; set; } = 20_000;

    /// <summary>A TSM's requests in the last hour must exceed this many times its hourly average of the previous 7 days (default 5).</summary>
    [Range(1.0, 1000.0, ErrorMessage = "Ttp:Alerts:RateFactor must be between 1 and 1000.")]
    public double RateFactor { get; set; } = 5;

    /// <summary>... and be at least this many (default 100), so that a quiet TSM's few requests raise nothing.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Ttp:Alerts:RateMinimumPerHour must be between 1 and 10000000.")]
    public int RateMinimumPerHour { get; set; } = 100;

    /// <summary>This many key requests of one TSM refused with the same outcome (default 20) ...</summary>
    [Range(2, 1_000_000, ErrorMessage = "Ttp:Alerts:FaultCount must be between 2 and 1000000.")]
    public int FaultCount { get; set; } = 20;

    /// <summary>... within this many minutes raise a repeated-faults alert (default 10).</summary>
    [Range(1, 24 * 60, ErrorMessage = "Ttp:Alerts:FaultWindowMinutes must be between 1 and 1440.")]
    public int FaultWindowMinutes { get; set; } = 10;
}
