using Microsoft.Extensions.Logging;

namespace Ttp.Domain.Audit;

/// <summary>Log messages of the audit chain (event ids 1100-1199). Counts, sequences and paths only, never record contents.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "Audit batch of {Count} records could not be committed; its callers were refused")]
    public static partial void AuditBatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Critical, Message = "Integrity failure of the audit trail, not covered by a checkpoint: {Problem}")]
    public static partial void CheckpointRefused(ILogger logger, string problem);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "An audit checkpoint could not be written; the next one will cover these records")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Audit trail anchored: records up to {HmacThrough} are HMAC-chained, later ones SHA-256; checkpoints signed by key {Fingerprint} are written to {Path}")]
    public static partial void TrailAnchored(ILogger logger, long hmacThrough, string fingerprint, string path);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "The audit writer's connection could not be closed cleanly; it was abandoned and the next batch opens a new one")]
    public static partial void AuditConnectionCloseFailed(ILogger logger, Exception exception);
}
