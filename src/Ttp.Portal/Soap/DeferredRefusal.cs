using Microsoft.AspNetCore.Http.Features;

namespace Ttp.Portal.Soap;

/// <summary>
/// A refusal of a request SoapCore could not read, deferred until SoapCore returns. The fault transformer is synchronous
/// and SoapCore writes whatever it returns at once, while a refusal must first be recorded (an await on the audit trail):
/// so the transformer parks the response body (SoapCore's fault goes nowhere, nothing is sent) and
/// <see cref="SoapGuardMiddleware"/>, once SoapCore has returned, answers through <see cref="SoapFaults.RefuseAsync"/>
/// (audit, then the fault with its RequestId). Kept as a feature of the request: no allocation on requests without one.
/// </summary>
internal sealed class DeferredRefusal
{
    /// <summary>The message of the refusal (the caller's: the request, not the server).</summary>
    public const string Message = "The request is not a readable WSGetDiversifiedKeys message.";

    private readonly IHttpResponseBodyFeature _body;
    private readonly int _status;

    private DeferredRefusal(IHttpResponseBodyFeature body, int status)
    {
        _body = body;
        _status = status;
    }

    /// <summary>
    /// Defers the refusal of the current request, to be answered with <paramref name="status"/>; what is written to the
    /// response body until then is discarded. False when it cannot be deferred (the response has started, or a refusal is
    /// already deferred).
    /// </summary>
    public static bool Defer(HttpContext context, int status)
    {
        if (context.Features.Get<DeferredRefusal>() is not null || context.Response.HasStarted)
        {
            return false;
        }

        var body = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        context.Features.Set(new DeferredRefusal(body, status));
        return true;
    }

    /// <summary>
    /// When the current request's refusal was deferred: gives the response body back (what was parked is dropped) and the
    /// status to answer it with. Called by the guard once SoapCore returns, and by the error boundary when it did not.
    /// </summary>
    public static bool TryTake(HttpContext context, out int status)
    {
        if (context.Features.Get<DeferredRefusal>() is not { } deferred)
        {
            status = 0;
            return false;
        }

        context.Features.Set<DeferredRefusal>(null);
        context.Features.Set(deferred._body);
        status = deferred._status;
        return true;
    }
}
