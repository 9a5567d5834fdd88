namespace Ttp.Portal.Security;

/// <summary>
/// Security headers on every portal response (docs/DESIGN.md section 7): a content security policy that allows only the
/// portal's own scripts, styles and the Blazor circuit's WebSocket, no framing (<c>frame-ancestors 'none'</c>), no MIME
/// sniffing, no referrer leaks. HSTS is added by <c>UseHsts</c> outside Development. The SOAP port is not a browser
/// surface and keeps its responses plain.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The policy. MudBlazor sets inline styles on elements, hence <c>style-src 'unsafe-inline'</c>; scripts stay
    /// <c>'self'</c> only. QR codes and charts are inline SVG or <c>data:</c> images.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self' wss: ws:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

    /// <summary>Adds the headers to every response of the pipeline after it.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        await next(context);
    });
}
