using Microsoft.Extensions.Logging;

namespace Ttp.Domain.KeyRequests;

/// <summary>Log messages of key requests: request ids, TSM names, fault codes; never key material or key blocks.</summary>
internal static partial class KeyRequestLog
{
    [LoggerMessage(EventId = 4400, Level = LogLevel.Error, Message = "Key request {RequestId} failed: service unavailable")]
    public static partial void Unavailable(ILogger logger, Guid requestId, Exception exception);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Error, Message = "Key request {RequestId}: the audit record of the refusal {Code} could not be written")]
    public static partial void RefusalAuditFailed(ILogger logger, Guid requestId, KeyDistributionFaultCode code, Exception exception);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Information, Message = "Key request {RequestId} refused: {Code} (TSM {Tsm})")]
    public static partial void Refused(ILogger logger, Guid requestId, KeyDistributionFaultCode code, string tsm);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Warning, Message = "Could not refresh the TSM certificate pins from the database")]
    public static partial void PinRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Critical, Message = "Key request {RequestId} refused: integrity failure of a stored key: {Failure}")]
    public static partial void IntegrityFailure(ILogger logger, Guid requestId, string failure);
}
