using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Ttp.Portal.Tests;

/// <summary>The portal starts with its embedded defaults and serves its pages over TLS (real Kestrel).</summary>
public sealed class PortalHostTests
{
    [Fact]
    public async Task Start_NoCertificateConfigured_ServesLoginPageOverTlsWithSelfSignedCertificateFromDataDirectory()
    {
        using var host = new PortalHost();
        host.StartServer();
        using var client = host.CreateTlsClient(out var serverCertificate);

        // "/" needs a signed-in staff member: an anonymous visitor ends on the (static) login page.
        var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/account/login", response.RequestMessage!.RequestUri!.AbsolutePath);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("TTP key server", html, StringComparison.Ordinal);
        Assert.Contains("MudBlazor", html, StringComparison.Ordinal);
        var pfx = Path.Combine(host.DataDirectory, "tls", "server.pfx");
        Assert.True(File.Exists(pfx));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pfx));
        using var stored = X509CertificateLoader.LoadPkcs12FromFile(pfx, password: null);
        Assert.Equal(stored.Thumbprint, serverCertificate()?.Thumbprint);
    }

    [Fact]
    public async Task Start_Assets_ServesPortalStylesheetAndLogo()
    {
        using var host = new PortalHost();
        host.StartServer();
        using var client = host.CreateTlsClient(out _);

        var css = await client.GetAsync(new Uri("/assets/portal.css", UriKind.Relative));
        var logo = await client.GetAsync(new Uri("/assets/logo.svg", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Contains(".ttp-brand", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, logo.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/account/login")]
    [InlineData("/assets/portal.css")]
    [InlineData("/no-such-page")]
    public async Task Get_AnyPortalResponse_CarriesSecurityHeaders(string path)
    {
        using var host = new PortalHost();
        host.StartServer();
        using var client = host.CreateTlsClient(out _);

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task Get_PortalPage_CspAllowsWebSocketsToTheOwnOriginOnly()
    {
        using var host = new PortalHost();
        host.StartServer();
        using var client = host.CreateTlsClient(out _);

        var response = await client.GetAsync(new Uri("/account/login", UriKind.Relative));

        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        var connect = Assert.Single(csp.Split(';', StringSplitOptions.TrimEntries), d => d.StartsWith("connect-src ", StringComparison.Ordinal));
        // The Blazor circuit's WebSocket to the host and port the browser used (wss only: the portal is HTTPS), and no
        // other: no scheme-wide ws: or wss: source, no wildcard.
        Assert.Equal($"connect-src 'self' wss://127.0.0.1:{host.BaseAddress.Port}", connect);
    }

    [Fact]
    public void ContentSecurityPolicy_HostWithCharactersOutsideAHostName_OnlySelf()
    {
        var csp = Ttp.Portal.Security.SecurityHeaders.ContentSecurityPolicy(new Microsoft.AspNetCore.Http.HostString("evil.example; script-src *"));

        Assert.Contains("connect-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("evil", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' wss://portal.example:7443;",
            Ttp.Portal.Security.SecurityHeaders.ContentSecurityPolicy(new Microsoft.AspNetCore.Http.HostString("portal.example:7443")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownPath_Returns404PageWithoutStackTrace()
    {
        using var host = new PortalHost();
        host.StartServer();
        using var client = host.CreateTlsClient(out _);

        var response = await client.GetAsync(new Uri("/no-such-page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("There is no page at this address", html, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", html, StringComparison.Ordinal);
    }
}
