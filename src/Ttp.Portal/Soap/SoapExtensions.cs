using System.ServiceModel;
using System.ServiceModel.Channels;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using SoapCore;
using SoapCore.Extensibility;

namespace Ttp.Portal.Soap;

internal static class SoapExtensions
{
    /// <summary>The Kestrel endpoint that serves SOAP (mutual TLS), by name in <c>Kestrel:Endpoints</c>.</summary>
    public const string EndpointName = "Soap";

    private const string UrlKey = "Kestrel:Endpoints:" + EndpointName + ":Url";

    /// <summary>The log category of SoapCore's middleware (its type's name without the generic arity).</summary>
    internal const string SoapCoreMiddlewareCategory = "SoapCore.SoapEndpointMiddleware";

    /// <summary>
    /// The key-distribution SOAP service: its options, SoapCore with the one fault transformer, and the
    /// <c>Kestrel:Endpoints:Soap</c> endpoint requiring a client certificate checked by <see cref="ClientCertificatePolicy"/>.
    /// </summary>
    public static WebApplicationBuilder AddSoap(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SoapOptions>().BindConfiguration(SoapOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SoapOptions>, SoapOptionsValidator>();
        builder.Services.AddSingleton<ClientCertificatePolicy>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSoapCore();
        builder.Services.AddSingleton<IFaultExceptionTransformer, KeyDistributionFaultTransformer>();
        // SoapCore logs every exception an operation throws at Error with its stack trace, an expected refusal too
        // (the key-request service logs that at Information, without one). What is not a refusal is logged by the fault
        // transformer (Warning, with the exception) and the error boundary (Error); SoapCore's own Critical stays.
        builder.Logging.AddFilter(SoapCoreMiddlewareCategory, LogLevel.Critical);
        builder.Services.AddSingleton<IKeyDistributionService, KeyDistributionService>();

        _ = SoapPort(builder.Configuration);
        builder.WebHost.ConfigureKestrel((context, kestrel) => kestrel
            .Configure(context.Configuration.GetSection("Kestrel"), reloadOnChange: false)
            .Endpoint(EndpointName, endpoint =>
            {
                endpoint.HttpsOptions.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                endpoint.HttpsOptions.CheckCertificateRevocation = false;
                var policy = kestrel.ApplicationServices.GetRequiredService<ClientCertificatePolicy>();
                endpoint.HttpsOptions.ClientCertificateValidation = policy.Validate;
            }));
        return builder;
    }

    /// <summary>The load generator's baseline path on the SOAP port (only with <c>Ttp:Soap:EnableBaselineEndpoint</c>).</summary>
    public const string BaselinePath = "/soap/v1/echo";

    /// <summary>
    /// Everything that arrives on the SOAP port goes to the SOAP branch (and nothing else: 404 for any other path, 405 for
    /// a method the service path does not answer, see <see cref="SoapMethodGate"/>); the portal never sees it. Routed by the connection's local port, not the Host header, which the client chooses.
    /// </summary>
    public static WebApplication MapSoap(this WebApplication app)
    {
        var port = SoapPort(app.Configuration);
        var soap12 = MessageVersion.CreateVersion(EnvelopeVersion.Soap12, AddressingVersion.None);
        var baseline = app.Configuration.GetValue<bool>(SoapOptions.Section + ":EnableBaselineEndpoint");
        ((IApplicationBuilder)app).MapWhen(context => context.Connection.LocalPort == port, soapApp =>
        {
            // First: nothing that fails on this port reaches the host's error pages (HTML, a stack trace in Development).
            soapApp.UseMiddleware<SoapErrorBoundary>();
            if (baseline)
            {
                // The load generator's baseline (tests/Ttp.LoadGenerator, scripts/load.sh): the same port, TLS handshake
                // and client-certificate pinning as the SOAP service, but a trivial POST answering its own body, so that
                // SOAP's requests/s can be read against what the host does with no SOAP and no key request.
                // Off unless Ttp:Soap:EnableBaselineEndpoint=true.
                soapApp.Map(BaselinePath, echo => echo.Run(EchoAsync));
            }

            // Methods and paths (405/404) before a byte of a body is read; then the guard before SoapCore sees the POST.
            soapApp.UseMiddleware<SoapMethodGate>();
            soapApp.UseMiddleware<SoapGuardMiddleware>();
            soapApp.UseSoapEndpoint<IKeyDistributionService>(options =>
            {
                options.Path = KeyDistributionContract.Path;
                options.SoapSerializer = SoapSerializer.XmlSerializer;
                options.EncoderOptions =
                [
                    new SoapEncoderOptions { MessageVersion = MessageVersion.Soap11, BindingName = "KeyDistributionSoap11" },
                    new SoapEncoderOptions { MessageVersion = soap12, BindingName = "KeyDistributionSoap12" },
                ];
                options.HttpGetEnabled = false;
                options.HttpsGetEnabled = true;
                options.HttpPostEnabled = false;
                options.HttpsPostEnabled = true;

                // Machines read the answers: no indentation to write and send (the WSDL keeps its own setting).
                options.IndentXml = false;
                options.IndentWsdl = true;
            });
            soapApp.Run(NotFound);
        });

        // The SOAP path does not exist on any other port (explicitly: the portal would answer a POST with 400).
        ((IApplicationBuilder)app).MapWhen(context => context.Request.Path.StartsWithSegments("/soap", StringComparison.OrdinalIgnoreCase), other => other.Run(NotFound));
        return app;
    }

    private static async Task EchoAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var max = context.RequestServices.GetRequiredService<IOptions<SoapOptions>>().Value.MaxMessageBytes;
        if (context.Request.ContentLength > max)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            if (read.Buffer.Length > max)
            {
                reader.AdvanceTo(read.Buffer.End);
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            if (read.IsCompleted)
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = context.Request.ContentType ?? "text/xml; charset=utf-8";
                context.Response.ContentLength = read.Buffer.Length;
                foreach (var segment in read.Buffer)
                {
                    await context.Response.Body.WriteAsync(segment, context.RequestAborted);
                }

                reader.AdvanceTo(read.Buffer.End);
                return;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static int SoapPort(IConfiguration configuration)
    {
        var url = configuration[UrlKey];
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Port <= 0
            || !url.Contains($":{uri.Port}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{UrlKey} must be an https URL with an explicit port (is '{url}')");
        }

        return uri.Port;
    }

    private sealed class SoapOptionsValidator : IValidateOptions<SoapOptions>
    {
        public ValidateOptionsResult Validate(string? name, SoapOptions options) =>
            options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }
}
