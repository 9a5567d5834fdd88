namespace Ttp.Domain.Audit;

/// <summary>
/// One row of the key-request rollup (<see cref="KeyRequestRollup"/>): how many key requests of one TSM, in one UTC
/// hour, with one outcome and one latency bucket (<see cref="LatencyBuckets"/>). Derived data, not authenticated: the
/// audit chain is the record, the rollup a view of it that can be rebuilt from it at any time.
/// </summary>
public sealed class KeyRequestRollupRow
{
    /// <summary>The table's name.</summary>
    public const string Table = "key_request_rollup";

    /// <summary>Hours since the Unix epoch (UTC) of the records' time.</summary>
    public long Hour { get; set; }

    /// <summary>The TSM of the records' details; empty when the caller was never identified.</summary>
    public string Tsm { get; set; } = string.Empty;

    /// <summary>The records' outcome (<c>ok</c> or a fault code).</summary>
    public string Outcome { get; set; } = string.Empty;

    /// <summary>The latency bucket, or <see cref="LatencyBuckets.Unknown"/>.</summary>
    public int Bucket { get; set; }

    /// <summary>How many records.</summary>
    public long Requests { get; set; }
}
