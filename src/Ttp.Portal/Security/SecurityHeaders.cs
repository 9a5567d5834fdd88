using System.Buffers;

namespace Ttp.Portal.Security;

/// <summary>
/// Security headers on every portal response (docs/DESIGN.md section 7): a content security policy that allows only the
/// portal's own scripts, styles and the Blazor circuit's WebSocket to its own origin, no framing
/// (<c>frame-ancestors 'none'</c>), no MIME sniffing, no referrer leaks. HSTS is added by <c>UseHsts</c> outside
/// Development. The SOAP port is not a browser surface and keeps its responses plain.
/// </summary>
public static class SecurityHeaders
{
    // Characters of a host and port (a name, IPv4, or an IPv6 literal in brackets): anything else gets no WebSocket source.
    private static readonly SearchValues<char> HostCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]");

    /// <summary>
    /// The policy for a page served to <paramref name="host"/> (the request's Host, as the browser addressed the portal).
    /// MudBlazor sets inline styles on elements, hence <c>style-src 'unsafe-inline'</c>; scripts stay <c>'self'</c> only.
    /// QR codes and charts are inline SVG or <c>data:</c> images. <c>connect-src</c>: the portal's own origin, and the
    /// Blazor circuit's WebSocket to that same host and port only (<c>wss:</c>; the portal is HTTPS only). CSP Level 3
    /// browsers read <c>'self'</c> as covering it already; the explicit source is for those that do not, and no other
    /// WebSocket host is allowed.
    /// </summary>
    public static string ContentSecurityPolicy(HostString host) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        $"connect-src {ConnectSources(host)}; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

    /// <summary>Adds the headers to every response of the pipeline after it.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy(context.Request.Host);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        await next(context);
    });

    private static string ConnectSources(HostString host) =>
        host.HasValue && !host.Value.AsSpan().ContainsAnyExcept(HostCharacters)
            ? $"'self' wss://{host.Value}"
            : "'self'";
}
