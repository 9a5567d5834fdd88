using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// The SOAP port never answers with HTML or a stack trace, in any environment: an exception that escapes the SOAP stack
/// is answered with a SOAP fault even in Development, where the host's developer exception page would otherwise render it.
/// </summary>
public sealed class SoapErrorBoundaryTests
{
    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task Post_ExceptionEscapesSoapCore_SoapFaultWithoutHtmlOrStackTrace(string environment)
    {
        // The fault injected: SoapCore's own logging throws when it reports an error, so that its error handling itself
        // fails and the exception leaves SoapCore (the way a failure inside the SOAP stack would). The portal keeps
        // SoapCore's Error log of a refusal from its own providers; a rule of this provider's own lets it through here.
        using var host = new PortalHost(
            new Dictionary<string, string> { ["environment"] = environment },
            services: services => services
                .AddSingleton<ILoggerProvider>(new ThrowingLogs("SoapCore", LogLevel.Error))
                .AddLogging(logging => logging.AddFilter<ThrowingLogs>("SoapCore", LogLevel.Error)));
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        Assert.Equal(environment, host.Services.GetRequiredService<IWebHostEnvironment>().EnvironmentName);
        using var client = host.CreateSoapClient(certificate);

        // A valid request for an issuer without a key set: refused (UnknownIssuer), which SoapCore reports as an error.
        var reply = await SoapWire.PostAsync(client, SoapWire.Request());

        Assert.True(HttpStatusCode.InternalServerError == reply.Status, $"{reply.Status}: {reply.Body}");
        Assert.DoesNotContain("<html", reply.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("injected", reply.Body, StringComparison.Ordinal);
        Assert.True(reply.IsFault, reply.Body);
        Assert.Equal("ServiceUnavailable", reply.FaultCode);
        Assert.Empty(reply.Keys);
        Assert.Contains(host.Log.Lines, l => l.Message.StartsWith("SOAP request failed outside the service; answered with a fault", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Development", "PUT", "")]
    [InlineData("Development", "GET", "/WSGetDiversifiedKeys?x=1")]
    [InlineData("Production", "GET", "/WSGetDiversifiedKeys?x=1")]
    public async Task Request_ExceptionBeforeSoapCore_SoapFaultWithoutHtmlOrStackTrace(string environment, string method, string subPath)
    {
        // The fault injected: the method gate's log of its refusal throws, so the request fails before the guard and
        // SoapCore (the developer exception page would render it in Development).
        using var host = new PortalHost(
            new Dictionary<string, string> { ["environment"] = environment },
            services: services => services.AddSingleton<ILoggerProvider>(new ThrowingLogs("Ttp.Portal.Soap.SoapMethodGate", LogLevel.Information)));
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        Assert.Equal(environment, host.Services.GetRequiredService<IWebHostEnvironment>().EnvironmentName);
        using var client = host.CreateSoapClient(certificate);
        using var request = new HttpRequestMessage(new HttpMethod(method), SoapWire.Path + subPath);
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.InternalServerError == response.StatusCode, $"{response.StatusCode}: {body}");
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("injected", body, StringComparison.Ordinal);
        var reply = new SoapReply(response.StatusCode, body);
        Assert.True(reply.IsFault, body);
        Assert.Equal("ServiceUnavailable", reply.FaultCode);
    }

    /// <summary>Throws from every log of the categories starting with <paramref name="category"/> at <paramref name="level"/> and above.</summary>
    private sealed class ThrowingLogs(string category, LogLevel level) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName.StartsWith(category, StringComparison.Ordinal), level);

        public void Dispose()
        {
        }

        private sealed class Logger(bool throwing, LogLevel level) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => throwing && logLevel >= level;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    throw new InvalidOperationException("injected failure");
                }
            }
        }
    }
}
