using System.ServiceModel;
using System.Text;
using System.Xml;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Ttp.Domain.KeyRequests;

namespace Ttp.Portal.Soap;

/// <summary>
/// What SoapCore does not do itself (docs/STACK.md), before it sees a byte of a POST: the size limit (413), no DTD at all
/// (400: SoapCore would expand internal entities), no empty body, a SOAP envelope matching the content type (400 fault);
/// and, once SoapCore returns, the answer to a request it could not read (<see cref="DeferredRefusal"/>). Every refusal
/// goes through <see cref="SoapFaults.RefuseAsync"/> (audited for a pinned TSM). Methods are settled before it
/// (<see cref="SoapMethodGate"/>), escaped exceptions after it (<see cref="SoapErrorBoundary"/>).
/// </summary>
internal sealed partial class SoapGuardMiddleware(
    RequestDelegate next, IOptions<SoapOptions> options, KeyRequestService keyRequests, ILogger<SoapGuardMiddleware> logger)
{
    private static readonly byte[] DocType = "<!DOCTYPE"u8.ToArray();

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }

        var max = options.Value.MaxMessageBytes;
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = max;
        }

        if (context.Request.ContentLength > max)
        {
            await RefuseTooLargeAsync(context, max);
            return;
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request.Body, max, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RefuseTooLargeAsync(context, max);
            return;
        }
        catch (PayloadTooLargeException)
        {
            await RefuseTooLargeAsync(context, max);
            return;
        }

        if (body.Length == 0)
        {
            await RefuseAsync(context, "Empty request body.");
            return;
        }

        // A NUL byte means UTF-16/32, where the DOCTYPE check below would not see the markup: only UTF-8 is accepted.
        if (ContainsDocType(body) || body.AsSpan().Contains((byte)0))
        {
            LogRefusedDocType(logger, context.Connection.RemoteIpAddress?.ToString());
            await RefuseAsync(context, "DTDs are not accepted (and the body must be UTF-8).");
            return;
        }

        if (EnvelopeProblem(body, context.Request.ContentType) is { } problem)
        {
            await RefuseAsync(context, problem);
            return;
        }

        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        await next(context);
        if (DeferredRefusal.TryTake(context, out var status))
        {
            await SoapFaults.RefuseAsync(context, keyRequests, DeferredRefusal.Message, status);
        }
    }

    /// <summary>
    /// A content type is required, and the root must be a SOAP envelope whose version matches it (SOAP 1.1 <c>text/xml</c>, SOAP 1.2
    /// <c>application/soap+xml</c>): SoapCore answers a mismatch with an internal error.
    /// </summary>
    private static string? EnvelopeProblem(byte[] body, string? contentType)
    {
        // SoapCore picks its encoder by content type and fails outside its fault handling without one.
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return "A SOAP request needs Content-Type text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2).";
        }

        string name;
        string ns;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body, writable: false), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
            });
            reader.MoveToContent();
            (name, ns) = (reader.LocalName, reader.NamespaceURI);
        }
        catch (XmlException)
        {
            return "The request is not well-formed XML.";
        }

        var soap12ContentType = SoapVersion.Of(contentType) == EnvelopeVersion.Soap12;
        return (name, ns) switch
        {
            ("Envelope", SoapVersion.Soap11Envelope) when soap12ContentType => "A SOAP 1.1 envelope needs Content-Type text/xml.",
            ("Envelope", SoapVersion.Soap12Envelope) when !soap12ContentType => "A SOAP 1.2 envelope needs Content-Type application/soap+xml.",
            ("Envelope", SoapVersion.Soap11Envelope or SoapVersion.Soap12Envelope) => null,
            _ => "The request is not a SOAP envelope.",
        };
    }

    private static bool ContainsDocType(ReadOnlySpan<byte> body)
    {
        for (var i = body.IndexOf((byte)'<'); i >= 0 && i <= body.Length - DocType.Length; )
        {
            if (Ascii.EqualsIgnoreCase(body.Slice(i, DocType.Length), DocType))
            {
                return true;
            }

            var next = body[(i + 1)..].IndexOf((byte)'<');
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }

    private static async Task<byte[]> ReadBodyAsync(Stream body, int max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new PayloadTooLargeException();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private Task RefuseAsync(HttpContext context, string message) =>
        SoapFaults.RefuseAsync(context, keyRequests, message, StatusCodes.Status400BadRequest);

    // Refused before SOAP processing with a plain 413; audited like any refusal when the caller is a pinned TSM.
    private Task RefuseTooLargeAsync(HttpContext context, int max) =>
        SoapFaults.RefuseAsPlainTextAsync(context, keyRequests, $"Request body larger than {max} bytes.", StatusCodes.Status413PayloadTooLarge);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SOAP request with a DTD refused (from {RemoteAddress})")]
    private static partial void LogRefusedDocType(ILogger logger, string? remoteAddress);

    private sealed class PayloadTooLargeException : Exception;
}
