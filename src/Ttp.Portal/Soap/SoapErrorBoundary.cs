using System.Xml;
using Ttp.Domain.KeyRequests;

namespace Ttp.Portal.Soap;

/// <summary>
/// The first middleware of the SOAP port: an exception that escapes anything after it (the method gate, the guard,
/// SoapCore's metadata or its own error handling) is answered here with a SOAP fault, in every environment; the host's
/// error pages (the developer exception page in Development, the portal's error and status-code pages) never answer on
/// the SOAP port, so no HTML and no stack trace. XML the stack could not read is refused as <c>InvalidRequest</c> (400,
/// recorded like every refusal); anything else is <c>ServiceUnavailable</c> (500). The exception is logged, never sent.
/// </summary>
internal sealed partial class SoapErrorBoundary(RequestDelegate next, KeyRequestService keyRequests, ILogger<SoapErrorBoundary> logger)
{
    private const string Unavailable = "The key service is unavailable; no key was released. Try again later.";

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            LogEscaped(logger, e);
            // A refusal deferred by the fault transformer was not answered: the body it parked is given back first.
            DeferredRefusal.TryTake(context, out _);
            await AnswerAsync(context, e is XmlException || e.InnerException is XmlException);
        }
    }

    private async Task AnswerAsync(HttpContext context, bool unreadable)
    {
        if (unreadable)
        {
            try
            {
                await SoapFaults.RefuseAsync(context, keyRequests, "The request is not well-formed XML.", StatusCodes.Status400BadRequest);
                return;
            }
            catch (Exception e) when (!context.Response.HasStarted)
            {
                LogEscaped(logger, e);
            }
        }

        await SoapFaults.WriteResponseAsync(context, StatusCodes.Status500InternalServerError, KeyDistributionFaultCode.ServiceUnavailable, Unavailable);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "SOAP request failed outside the service; answered with a fault")]
    private static partial void LogEscaped(ILogger logger, Exception exception);
}
