using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Ttp.Portal.Soap;

/// <summary>
/// The HTTP methods of the SOAP port, decided on the request line and headers alone, before a byte of a body is read: the
/// service path (<see cref="KeyDistributionContract.Path"/>) answers <c>POST</c> (the operation) and <c>GET</c>/<c>HEAD</c>
/// with <c>?wsdl</c> or <c>?xsd=</c> (SoapCore's metadata; not its HTML <c>documentation</c>); any other method or GET
/// there gets 405 with <c>Allow: GET, HEAD, POST</c>. Paths under it are SoapCore's HTTP-GET/POST binding of the
/// operations, which is not offered: 405 with an empty <c>Allow</c> (RFC 9110: no method allowed, disabled by
/// configuration). Every other path is 404. A refused request that may have a body closes the connection after the answer
/// rather than the server draining the body.
/// </summary>
/// <remarks>
/// A 405 is not audited: the request never reaches the key service, carries no request data and no RequestId. It is logged
/// (Information: method, which path, the client certificate's thumbprint), so that a misconfigured TSM can be traced.
/// </remarks>
internal sealed partial class SoapMethodGate(RequestDelegate next, IOptions<SoapOptions> options, ILogger<SoapMethodGate> logger)
{
    /// <summary>The methods the service path allows.</summary>
    public const string ServiceAllow = "GET, HEAD, POST";

    private const string ServiceRefusal = "Method not allowed: POST a SOAP request to this path, or GET it with ?wsdl.";

    private static readonly string OperationRefusal =
        $"Method not allowed: operations are called by POSTing a SOAP request to {KeyDistributionContract.Path}.";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(KeyDistributionContract.Path, StringComparison.Ordinal, out var rest))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        if (rest.HasValue)
        {
            return RefuseAsync(context, allow: string.Empty, OperationRefusal, "an operation path");
        }

        var method = request.Method;
        if (HttpMethods.IsPost(method))
        {
            return next(context);
        }

        if ((HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) && IsMetadata(request.Query))
        {
            // SoapCore does not read a GET's body; bound what the server drains after the answer.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = options.Value.MaxMessageBytes;
            }

            return next(context);
        }

        return RefuseAsync(context, ServiceAllow, ServiceRefusal, "the service path");
    }

    // SoapCore serves the WSDL for ?wsdl and ?xsd (no WSDL files configured); ?documentation would be HTML.
    private static bool IsMetadata(IQueryCollection query) =>
        (query.ContainsKey("wsdl") || query.ContainsKey("xsd")) && !query.ContainsKey("documentation");

    private Task RefuseAsync(HttpContext context, string allow, string message, string target)
    {
        var certificate = context.Connection.ClientCertificate;
        LogRefused(logger, context.Request.Method, target,
            certificate is null ? "none" : Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)));
        context.Response.Headers.Allow = allow;
        var mayHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;
        return SoapFaults.WritePlainTextAsync(context, StatusCodes.Status405MethodNotAllowed, message, closeConnection: mayHaveBody);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SOAP request refused with 405: method {Method} on {Target} (client certificate {Thumbprint})")]
    private static partial void LogRefused(ILogger logger, string method, string target, string thumbprint);
}
