using System.ComponentModel.DataAnnotations;

namespace Ttp.Portal.Management;

/// <summary>Bounds of the readiness checks (<c>Ttp:Management</c>).</summary>
internal sealed class ManagementOptions
{
    public const string Section = "Ttp:Management";

    /// <summary>
    /// Audit records older than this and still not covered by a signed checkpoint make the audit checkpoint check
    /// Degraded (seconds, 1-86400; default 300).
    /// </summary>
    [Range(1, 86400, ErrorMessage = "Ttp:Management:CheckpointMaxAgeSeconds must be 1-86400")]
    public int CheckpointMaxAgeSeconds { get; set; } = 300;

    /// <summary>
    /// The audit writer's queue filled to this share of <c>Ttp:Audit:QueueCapacity</c> or more makes the audit writer
    /// check Unhealthy (percent, 1-100; default 80): key requests are about to be refused.
    /// </summary>
    [Range(1, 100, ErrorMessage = "Ttp:Management:AuditQueueLimitPercent must be 1-100")]
    public int AuditQueueLimitPercent { get; set; } = 80;
}
