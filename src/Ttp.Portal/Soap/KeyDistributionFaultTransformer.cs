using System.ServiceModel;
using System.ServiceModel.Channels;
using System.Xml;
using SoapCore;
using SoapCore.Extensibility;
using Ttp.Domain.KeyRequests;
using Ttp.Portal.Soap.Messages;

namespace Ttp.Portal.Soap;

/// <summary>
/// The one place where SOAP errors reported by SoapCore are translated (docs/CONVENTIONS.md 9): a
/// <see cref="KeyRequestRefusedException"/> becomes a fault with its code; a request SoapCore could not read is refused
/// as <c>InvalidRequest</c> through <see cref="DeferredRefusal"/> (recorded, then answered, by the guard); anything else
/// becomes <c>ServiceUnavailable</c> with a generic message (the exception is logged, never sent). Also sets the HTTP
/// status the binding defines. Synchronous, as SoapCore calls it: it never waits on the audit trail.
/// </summary>
internal sealed partial class KeyDistributionFaultTransformer(
    IHttpContextAccessor http, ILogger<KeyDistributionFaultTransformer> logger)
    : IFaultExceptionTransformer
{
    public Message ProvideFault(Exception exception, MessageVersion messageVersion, Message requestMessage, ConcurrentXmlNamespaceLookup xmlNamespaceManager)
    {
        var context = http.HttpContext;
        var refused = exception as KeyRequestRefusedException ?? exception.InnerException as KeyRequestRefusedException;
        if (refused is null && context is not null && IsUnreadableRequest(exception))
        {
            // SoapCore could not read the message, so the key-request service never saw it. The refusal must be recorded
            // (audited for a pinned TSM) before it is answered, which takes an await this synchronous call cannot make:
            // it is deferred to the guard, which answers once SoapCore returns; what SoapCore writes from here is dropped.
            LogUnexpected(logger, KeyDistributionFaultCode.InvalidRequest, exception);
            if (DeferredRefusal.Defer(context, SoapFaults.StatusCode(messageVersion.Envelope, KeyDistributionFaultCode.InvalidRequest)))
            {
                // The guard sets the status with its answer (ServiceUnavailable when the refusal cannot be recorded).
                return Message.CreateMessage(messageVersion, null, new FaultBodyWriter(messageVersion.Envelope, new KeyDistributionFault
                {
                    Code = nameof(KeyDistributionFaultCode.InvalidRequest),
                    Message = DeferredRefusal.Message,
                }));
            }
        }

        var detail = ToDetail(exception, refused, out var code);
        if (context is not null)
        {
            var status = SoapFaults.StatusCode(messageVersion.Envelope, code);
            // SoapCore sets its own status after this call: settle ours when the headers go out.
            context.Response.OnStarting(() =>
            {
                context.Response.StatusCode = status;
                return Task.CompletedTask;
            });
        }

        return Message.CreateMessage(messageVersion, null, new FaultBodyWriter(messageVersion.Envelope, detail));
    }

    private KeyDistributionFault ToDetail(Exception exception, KeyRequestRefusedException? refused, out KeyDistributionFaultCode code)
    {
        if (refused is not null)
        {
            code = refused.Code;
            return new KeyDistributionFault { Code = code.ToString(), Message = refused.Message, RequestId = refused.RequestId == Guid.Empty ? string.Empty : refused.RequestId.ToString() };
        }

        code = IsUnreadableRequest(exception) ? KeyDistributionFaultCode.InvalidRequest : KeyDistributionFaultCode.ServiceUnavailable;
        LogUnexpected(logger, code, exception);

        return new KeyDistributionFault
        {
            Code = code.ToString(),
            Message = code == KeyDistributionFaultCode.InvalidRequest
                ? DeferredRefusal.Message
                : "The key service is unavailable; no key was released. Try again later.",
        };
    }

    /// <summary>
    /// Whether SoapCore could not read the request (not XML, a value of the wrong type, no usable action, the wrong SOAP
    /// version): the caller's fault. Everything else is the server's.
    /// </summary>
    private static bool IsUnreadableRequest(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is XmlException or FormatException or OverflowException or ProtocolException
                || (e is ArgumentException or InvalidOperationException && e.Source == "SoapCore"))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SOAP request failed unexpectedly; answered {Code}")]
    private static partial void LogUnexpected(ILogger logger, KeyDistributionFaultCode code, Exception exception);

    private sealed class FaultBodyWriter(EnvelopeVersion envelope, KeyDistributionFault detail) : BodyWriter(isBuffered: true)
    {
        protected override void OnWriteBodyContents(XmlDictionaryWriter writer) => SoapFaults.WriteFault(writer, envelope, detail);
    }
}
