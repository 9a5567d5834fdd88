using System.ComponentModel.DataAnnotations;

namespace Ttp.Domain.Audit;

/// <summary>Section <c>Ttp:Audit</c>: the group commit of <see cref="AuditWriter"/>.</summary>
public sealed class AuditOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ttp:Audit";

    /// <summary>
    /// How long the writer waits for more records before it commits a batch that is not full, in milliseconds
    /// (0: commit what is queued at once). Adds at most this much latency to a key request.
    /// </summary>
    [Range(0, 1000, ErrorMessage = "Ttp:Audit:BatchMaxDelayMs must be between 0 and 1000 (milliseconds).")]
    public int BatchMaxDelayMs { get; set; } = 2;

    /// <summary>Most records committed in one transaction.</summary>
    [Range(1, 10000, ErrorMessage = "Ttp:Audit:BatchMaxSize must be between 1 and 10000 (records).")]
    public int BatchMaxSize { get; set; } = 256;
}
