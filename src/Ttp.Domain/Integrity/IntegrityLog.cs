using Microsoft.Extensions.Logging;

namespace Ttp.Domain.Integrity;

/// <summary>Log messages of integrity checks: names of records, never key material.</summary>
internal static partial class IntegrityLog
{
    [LoggerMessage(EventId = 4600, Level = LogLevel.Critical, Message = "Integrity failure: {Record} does not match its MAC and is treated as absent")]
    public static partial void RecordRejected(ILogger logger, string record);

    [LoggerMessage(EventId = 4601, Level = LogLevel.Error, Message = "Integrity failure of {Record} could not be recorded in the audit trail")]
    public static partial void AlarmNotRecorded(ILogger logger, string record, Exception exception);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Warning, Message = "Upgrade: {Count} TSM, certificate and scope records received their MACs")]
    public static partial void RecordsAuthenticated(ILogger logger, int count);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Critical, Message = "Integrity failure: the stored key of {Record} does not open: {Problem}")]
    public static partial void KeyDamaged(ILogger logger, string record, string problem);

    [LoggerMessage(EventId = 4604, Level = LogLevel.Critical, Message = "Integrity failure: {Record} after the one-time conversion; ignored, the sealed secret stays")]
    public static partial void ClearStaffSecret(ILogger logger, string record);

    [LoggerMessage(EventId = 4605, Level = LogLevel.Warning, Message = "Upgrade: {Keks} KEK and {KeySets} issuer key set records received their MACs")]
    public static partial void KeyStatesAuthenticated(ILogger logger, int keks, int keySets);
}
