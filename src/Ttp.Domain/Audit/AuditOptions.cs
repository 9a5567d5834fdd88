using System.ComponentModel.DataAnnotations;

namespace Ttp.Domain.Audit;

/// <summary>Section <c>Ttp:Audit</c>: the group commit of <see cref="AuditWriter"/> and the checkpoints of <see cref="AuditAnchor"/>.</summary>
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

    /// <summary>
    /// <c>Ttp:Audit:QueueCapacity</c>: most records waiting in <see cref="AuditWriter"/>'s queue for a batch. When it is
    /// full an append fails at once (the key request is answered <c>ServiceUnavailable</c>, no key released) instead of
    /// queueing without limit. 10,000 records are well under a second of the writer's measured throughput
    /// (docs/PERFORMANCE.md) and a few megabytes of memory.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Ttp:Audit:QueueCapacity must be between 1 and 1000000 (records).")]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// <c>Ttp:Audit:AnchorsDirectory</c>: where the signed checkpoints are written, outside the database (created 0700,
    /// files 0600). Empty: <c>&lt;Ttp:DataDirectory&gt;/anchors</c>. Relative to the working directory unless absolute.
    /// </summary>
    public string AnchorsDirectory { get; set; } = string.Empty;

    /// <summary>
    /// Least time between two checkpoints of the key-request writer, in milliseconds: a committed batch is checkpointed
    /// at once when the last checkpoint is older, else when this interval ends (coalesced). 0: after every batch.
    /// Staff actions are checkpointed at once. Records committed since the latest checkpoint are not yet anchored.
    /// </summary>
    [Range(0, 60000, ErrorMessage = "Ttp:Audit:CheckpointIntervalMs must be between 0 and 60000 (milliseconds).")]
    public int CheckpointIntervalMs { get; set; } = 5000;

    /// <summary>The anchors directory as an absolute path, <see cref="AnchorsDirectory"/> or the default in <paramref name="data"/>.</summary>
    public string FullAnchorsDirectory(DataOptions data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Path.GetFullPath(string.IsNullOrWhiteSpace(AnchorsDirectory) ? Path.Combine(data.FullDataDirectory, "anchors") : AnchorsDirectory);
    }
}
