using System.Net;
using System.Text.Json;
using Ttp.Portal.Tests.Soap;

namespace Ttp.Portal.Tests.Management;

/// <summary>
/// The management endpoint on real Kestrel (plain HTTP on its own loopback port): its three paths, and port separation
/// (nothing else on its port, its paths on no other port), and its address checked at start-up.
/// </summary>
public sealed class ManagementEndpointTests
{
    private static readonly string[] ManagementPaths = ["/health/live", "/health/ready", "/metrics"];

    [Fact]
    public async Task Live_OnManagementPort_Returns200Healthy()
    {
        using var host = new PortalHost();
        using var client = host.CreateManagementClient();

        using var response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_AllWell_Returns200WithOneStatusPerCheckAndNoSecrets()
    {
        using var host = new PortalHost();
        using var client = host.CreateManagementClient();

        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal(["auditCheckpoint", "auditWriter", "database", "keyStore"], checks.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        foreach (var check in checks.EnumerateObject())
        {
            Assert.Equal("Healthy", check.Value.GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(check.Value.GetProperty("description").GetString()));
        }

        Assert.Equal(0, checks.GetProperty("auditWriter").GetProperty("queueDepth").GetDouble());
        foreach (var secret in new[] { host.DataDirectory, "Data Source", "ttp.db", "lmk.key", "Password", "Host=", "Exception", "   at " })
        {
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Metrics_OnManagementPort_ServesPrometheusText()
    {
        using var host = new PortalHost();
        using var client = host.CreateManagementClient();

        var scrape = await PrometheusText.ScrapeAsync(client);

        Assert.Equal("gauge", scrape.Types["ttp_audit_queue_depth"]);
        Assert.True(scrape.Has("ttp_audit_queue_depth"), scrape.Text);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/account/login")]
    [InlineData("/assets/portal.css")]
    [InlineData("/soap/v1/KeyDistribution.svc?wsdl")]
    [InlineData("/health")]
    [InlineData("/health/other")]
    [InlineData("/metrics/x")]
    public async Task OtherPath_OnManagementPort_Returns404(string path)
    {
        using var host = new PortalHost();
        using var client = host.CreateManagementClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task ManagementPath_OtherMethod_Returns405(string method)
    {
        using var host = new PortalHost();
        using var client = host.CreateManagementClient();

        foreach (var path in ManagementPaths)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = new StringContent("x") };
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        }
    }

    [Fact]
    public async Task ManagementPaths_OnPortalPort_Return404()
    {
        using var host = new PortalHost();
        host.StartServer();
        using var client = host.CreateTlsClient(out _);

        foreach (var path in ManagementPaths)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("ttp_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ManagementPaths_OnSoapPort_Return404()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);

        foreach (var path in ManagementPaths)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("ttp_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:7445")]
    [InlineData("http://127.0.0.1")]
    [InlineData("not a url")]
    public void Start_BadManagementUrl_FailsNamingTheKey(string url)
    {
        using var host = new PortalHost(new Dictionary<string, string> { ["Kestrel:Endpoints:Management:Url"] = url });

        var error = Assert.ThrowsAny<Exception>(host.StartServer);

        Assert.Contains("Kestrel:Endpoints:Management:Url", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_ManagementUrlOnSoapPort_FailsNamingBothKeys()
    {
        using var probe = new PortalHost();
        using var host = new PortalHost(new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:Management:Url"] = $"http://127.0.0.1:{probe.SoapPort}",
            ["Kestrel:Endpoints:Soap:Url"] = $"https://127.0.0.1:{probe.SoapPort}",
        });

        var error = Assert.ThrowsAny<Exception>(host.StartServer);

        Assert.Contains("Kestrel:Endpoints:Management:Url must name a port of its own (is the port of Kestrel:Endpoints:Soap:Url)", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_BadReadinessBound_FailsNamingTheKey()
    {
        using var host = new PortalHost(new Dictionary<string, string> { ["Ttp:Management:CheckpointMaxAgeSeconds"] = "0" });

        var error = Assert.ThrowsAny<Exception>(host.StartServer);

        Assert.Contains("Ttp:Management:CheckpointMaxAgeSeconds", error.ToString(), StringComparison.Ordinal);
    }
}
