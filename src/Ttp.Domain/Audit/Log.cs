using Microsoft.Extensions.Logging;

namespace Ttp.Domain.Audit;

/// <summary>Log messages of the audit chain (event ids 1100-1199). Counts and sequences only, never record contents.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "Audit batch of {Count} records could not be committed; its callers were refused")]
    public static partial void AuditBatchFailed(ILogger logger, int count, Exception exception);
}
