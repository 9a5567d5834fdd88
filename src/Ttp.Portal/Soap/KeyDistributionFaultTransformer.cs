using System.ServiceModel;
using System.ServiceModel.Channels;
using System.Xml;
using SoapCore;
using SoapCore.Extensibility;
using Ttp.Domain.KeyRequests;
using Ttp.Portal.Soap.Messages;

namespace Ttp.Portal.Soap;

/// <summary>
/// The one place where SOAP errors are translated (docs/CONVENTIONS.md 9): a <see cref="KeyRequestRefusedException"/> becomes
/// a fault with its code; anything else becomes <c>ServiceUnavailable</c> with a generic message (the exception is
/// logged, never sent). Also sets the HTTP status the binding defines.
/// </summary>
internal sealed partial class KeyDistributionFaultTransformer(
    IHttpContextAccessor http, KeyRequestService keyRequests, ILogger<KeyDistributionFaultTransformer> logger)
    : IFaultExceptionTransformer
{
    public Message ProvideFault(Exception exception, MessageVersion messageVersion, Message requestMessage, ConcurrentXmlNamespaceLookup xmlNamespaceManager)
    {
        var detail = ToDetail(exception, out var code);
        var context = http.HttpContext;
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

    private KeyDistributionFault ToDetail(Exception exception, out KeyDistributionFaultCode code)
    {
        var refused = exception as KeyRequestRefusedException ?? exception.InnerException as KeyRequestRefusedException;
        if (refused is null && IsUnreadableRequest(exception) && http.HttpContext is { } context)
        {
            // SoapCore could not read the message, so the key-request service never saw it: record the refusal there
            // (audited when the caller is a pinned TSM). SoapCore's transformer is synchronous; this path is rare.
            LogUnexpected(logger, KeyDistributionFaultCode.InvalidRequest, exception);
            refused = keyRequests.RefuseUnreadableAsync(SoapCaller.From(context), "The request is not a readable WSGetDiversifiedKeys message.")
                .GetAwaiter().GetResult();
        }

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
                ? "The request is not a readable WSGetDiversifiedKeys message."
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
