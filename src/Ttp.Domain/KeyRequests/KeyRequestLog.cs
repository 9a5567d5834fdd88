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

    [LoggerMessage(EventId = 4405, Level = LogLevel.Debug, Message = "Key request {RequestId} refused beyond the rate limit: {Code} (TSM {Tsm}), counted into the summary")]
    public static partial void RefusedBeyondRate(ILogger logger, Guid requestId, KeyDistributionFaultCode code, string tsm);

    [LoggerMessage(EventId = 4406, Level = LogLevel.Error, Message = "The summary of {Count} refusals of TSM {Tsm} could not be written to the audit trail; it is kept for the next flush")]
    public static partial void SummaryAuditFailed(ILogger logger, string tsm, long count, Exception exception);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Warning, Message = "Could not refresh the TSM certificate pins from the database")]
    public static partial void PinRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Critical, Message = "Key request {RequestId} refused: integrity failure of a stored key: {Failure}")]
    public static partial void IntegrityFailure(ILogger logger, Guid requestId, string failure);
}
