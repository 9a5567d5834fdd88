namespace Ttp.Domain.Audit;

/// <summary>The outcome of <see cref="AuditExportVerifier"/>: valid, or the first problem and the line it is on.</summary>
public sealed class AuditExportVerificationResult
{
    /// <summary>True when every record and checkpoint verified and every record is covered by a checkpoint.</summary>
    public bool IsValid => Problem is null;

    /// <summary>The first problem, naming the record or checkpoint; null when valid.</summary>
    public string? Problem { get; internal set; }

    /// <summary>The line of the export the problem is on (from 1); null when valid or for a problem of the whole file.</summary>
    public long? Line { get; internal set; }

    /// <summary>The first record of the export (0 when it holds none).</summary>
    public long FirstSequence { get; internal set; }

    /// <summary>The last record read.</summary>
    public long LastSequence { get; internal set; }

    /// <summary>Records whose SHA-256 chain hash was recomputed and matched.</summary>
    public long RecordsVerified { get; internal set; }

    /// <summary>
    /// Records of the previous release (HMAC-chained under the TTP's secret key, up to <see cref="HmacThrough"/>): their
    /// hashes link the chain, but their content cannot be checked without that key.
    /// </summary>
    public long RecordsBeforeAnchoring { get; internal set; }

    /// <summary>The last record chained with HMAC, as the checkpoints sign it.</summary>
    public long HmacThrough { get; internal set; }

    /// <summary>
    /// Records marked <c>"match":true</c> (an export of a filter: those that match it) that verified. The mark is not
    /// covered by the hash: it says which records the TTP selected, whose content is proven; re-check the filter on them.
    /// </summary>
    public long RecordsMatched { get; internal set; }

    /// <summary>Checkpoints whose signature and link verified.</summary>
    public int Checkpoints { get; internal set; }

    /// <summary>The sequence of the export's latest checkpoint.</summary>
    public long? LatestCheckpoint { get; internal set; }

    /// <summary>When the export's latest checkpoint was signed.</summary>
    public DateTimeOffset? LatestCheckpointTime { get; internal set; }

    /// <summary>Checkpoints kept by the auditor that fell within the export and matched it.</summary>
    public int KeptCheckpointsMatched { get; internal set; }

    /// <summary>Throws <see cref="IntegrityException"/> (CLI exit 5) naming the first problem, unless valid.</summary>
    public void ThrowIfBroken()
    {
        if (!IsValid)
        {
            throw new IntegrityException(Line is { } line ? $"export line {line}: {Problem}" : $"export: {Problem}");
        }
    }
}
