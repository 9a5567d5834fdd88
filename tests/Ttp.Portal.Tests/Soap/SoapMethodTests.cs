using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;

namespace Ttp.Portal.Tests.Soap;

/// <summary>A portal (SQLite) with a TSM, its KEK and the GP default key set: a valid request is answered with keys.</summary>
public sealed class SoapMethodHost : IAsyncLifetime
{
    internal PortalHost Host { get; } = new();

    internal X509Certificate2 Certificate { get; } = TestClientCertificates.Create("acme");

    public async Task InitializeAsync()
    {
        await Host.RegisterTsmAsync("acme", Certificate, "A0000001");
        await Host.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"));
        await Host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11,
            Convert.FromHexString("404142434445464748494A4B4C4D4E4F"));
    }

    public Task DisposeAsync()
    {
        Host.Dispose();
        Certificate.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Every HTTP method on the SOAP port, over real mutual TLS with a pinned client certificate: the service path answers
/// POST (the operation) and GET/HEAD with ?wsdl or ?xsd= only; everything else is 405 with an Allow header, decided
/// before the body is read, with no key released and nothing recorded; operation paths are 405; other paths 404.
/// </summary>
public sealed class SoapMethodTests(SoapMethodHost fixture) : IClassFixture<SoapMethodHost>
{
    private static readonly string Envelope =
        $"<s:Envelope xmlns:s=\"{SoapWire.Soap11}\"><s:Body>{SoapWire.Request(e0: SoapWire.Scp02Template)}</s:Body></s:Envelope>";

    public static TheoryData<string, string, HttpStatusCode, string?> ServicePathCases() => new()
    {
        // method, query, status, Allow (null: none expected)
        { "GET", "?wsdl", HttpStatusCode.OK, null },
        { "GET", "?xsd=schema0", HttpStatusCode.OK, null },
        { "HEAD", "?wsdl", HttpStatusCode.OK, null },
        { "GET", string.Empty, HttpStatusCode.MethodNotAllowed, "GET, HEAD, POST" },
        { "HEAD", string.Empty, HttpStatusCode.MethodNotAllowed, "GET, HEAD, POST" },
        { "GET", "?x=1", HttpStatusCode.MethodNotAllowed, "GET, HEAD, POST" },
        { "GET", "?wsdl&documentation", HttpStatusCode.MethodNotAllowed, "GET, HEAD, POST" },
        { "PUT", string.Empty, HttpStatusCode.MethodNotAllowed, "GET, HEAD, POST" },
        { "PATCH", string.Empty, HttpStatusCode.MethodNotAllowed, "GET, HEAD, POST" },
        { "DELETE", string.Empty, HttpStatusCode.MethodNotAllowed, "GET, HEAD, POST" },
        { "OPTIONS", string.Empty, HttpStatusCode.MethodNotAllowed, "GET, HEAD, POST" },
        { "TRACE", string.Empty, HttpStatusCode.MethodNotAllowed, "GET, HEAD, POST" },
        { "PROPFIND", string.Empty, HttpStatusCode.MethodNotAllowed, "GET, HEAD, POST" },
        { "BREW", "?wsdl", HttpStatusCode.MethodNotAllowed, "GET, HEAD, POST" },
    };

    [Theory]
    [MemberData(nameof(ServicePathCases))]
    public async Task Method_OnServicePath_AnsweredWithDocumentedStatusAndAllow(string method, string query, HttpStatusCode status, string? allow)
    {
        using var client = fixture.Host.CreateSoapClient(fixture.Certificate);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), SoapWire.Path + query));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{method} {query}: {response.StatusCode} {body}");
        AssertNoHtmlNorException(response, body);
        if (allow is null)
        {
            Assert.False(response.Content.Headers.Contains("Allow"), $"{method} {query}");
            if (method == "GET")
            {
                Assert.Contains("wsdl:definitions", body, StringComparison.Ordinal);
            }
        }
        else
        {
            Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        }
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    [InlineData("BREW")]
    public async Task Method_OtherThanPostWithValidSoapBody_405NoKeyNoRecord(string method)
    {
        using var client = fixture.Host.CreateSoapClient(fixture.Certificate);
        var before = (await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme")).Count;

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), SoapWire.Path) { Content = Soap11(Envelope) });

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.MethodNotAllowed == response.StatusCode, $"{method}: {response.StatusCode} {body}");
        Assert.Equal("GET, HEAD, POST", string.Join(", ", response.Content.Headers.Allow));
        Assert.DoesNotContain("Cryptogram", body, StringComparison.Ordinal);
        Assert.DoesNotContain("WSGetDiversifiedKeysResponse", body, StringComparison.Ordinal);
        AssertNoHtmlNorException(response, body);
        Assert.Equal(before, (await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme")).Count);
        Assert.Contains(fixture.Host.Log.Lines, l => l.Message.StartsWith($"SOAP request refused with 405: method {method} on the service path", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_SameValidSoapBody_KeysReleasedAndRecorded()
    {
        // The control of the test above: the same body, POSTed, is answered with keys and recorded.
        using var client = fixture.Host.CreateSoapClient(fixture.Certificate);
        var before = (await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme")).Count;

        using var response = await client.PostAsync(new Uri(SoapWire.Path, UriKind.Relative), Soap11(Envelope));

        var reply = new SoapReply(response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.True(HttpStatusCode.OK == reply.Status, $"{reply.Status} {reply.Body}");
        Assert.Equal(3, reply.Keys.Count);
        Assert.Equal(before + 1, (await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme")).Count);
    }

    [Theory]
    [InlineData("GET", "/WSGetDiversifiedKeys?x=1")]
    [InlineData("GET", "/WSGetDiversifiedKeys")]
    [InlineData("HEAD", "/WSGetDiversifiedKeys")]
    [InlineData("POST", "/WSGetDiversifiedKeys")]
    [InlineData("POST", "/")]
    [InlineData("PUT", "/WSGetDiversifiedKeys")]
    public async Task Method_OnOperationPath_405WithEmptyAllowNoHtmlNoExceptionText(string method, string subPath)
    {
        using var client = fixture.Host.CreateSoapClient(fixture.Certificate);
        var before = (await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme")).Count;
        using var request = new HttpRequestMessage(new HttpMethod(method), SoapWire.Path + subPath);
        if (method is "POST" or "PUT")
        {
            request.Content = Soap11(Envelope);
        }

        using var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(HttpStatusCode.MethodNotAllowed == response.StatusCode, $"{method} {subPath}: {response.StatusCode} {body}");
        // RFC 9110 10.2.1: an empty Allow says no method is allowed (the HTTP binding of operations is not offered).
        Assert.True(response.Content.Headers.Contains("Allow"), $"{method} {subPath}: no Allow header");
        Assert.Empty(response.Content.Headers.Allow);
        AssertNoHtmlNorException(response, body);
        Assert.DoesNotContain("does not support", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Missing value", body, StringComparison.Ordinal);
        if (method != "HEAD")
        {
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("POST", body, StringComparison.Ordinal);
        }

        Assert.Equal(before, (await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme")).Count);
    }

    [Theory]
    [InlineData("GET", "/soap/v1/Other.svc?wsdl")]
    [InlineData("POST", "/soap/v1/Other.svc")]
    [InlineData("PUT", "/soap/v1/KeyDistribution.svcx")]
    [InlineData("POST", "/SOAP/V1/KEYDISTRIBUTION.SVC")]
    [InlineData("OPTIONS", "/")]
    public async Task Method_OnOtherPathOfSoapPort_404NothingRecorded(string method, string path)
    {
        using var client = fixture.Host.CreateSoapClient(fixture.Certificate);
        var before = (await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme")).Count;
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = Soap11("not a SOAP envelope");
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, (await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme")).Count);
    }

    // Raw HTTP/1.1 over the same mutual TLS: the request announces a 100 MB body and sends none of it. The 405 (with its
    // Allow header) arrives all the same, so it was decided before any body was read, and the server then closes the
    // connection instead of waiting for (draining) the body.
    [Theory]
    [InlineData("PUT", "Content-Length: 100000000")]
    [InlineData("DELETE", "Transfer-Encoding: chunked")]
    [InlineData("GET", "Content-Length: 100000000")]
    public async Task Method_RefusedWithLargeBodyAnnounced_405BeforeBodyThenConnectionClosed(string method, string framing)
    {
        var (head, closed) = await RawExchangeAsync(
            $"{method} {SoapWire.Path} HTTP/1.1\r\nHost: 127.0.0.1:{fixture.Host.SoapPort}\r\nContent-Type: text/xml\r\n{framing}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 405", head, StringComparison.Ordinal);
        Assert.Contains("\r\nAllow: GET, HEAD, POST\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", head, StringComparison.Ordinal);
        Assert.True(closed, "the connection stayed open (the server waited for the body)");
    }

    // A chunked body (no Content-Length) larger than Ttp:Soap:MaxMessageBytes: 413 plain text, and the one record every
    // refusal of a pinned TSM gets (as with a Content-Length over the limit), nothing more.
    [Fact]
    public async Task Post_ChunkedBodyOverLimit_413PlainTextOneRecord()
    {
        using var client = fixture.Host.CreateSoapClient(fixture.Certificate);
        var before = await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme");
        var padding = new string(' ', 200 * 1024);
        using var content = new ChunkedContent(Encoding.UTF8.GetBytes(Envelope.Replace("<s:Body>", "<s:Body>" + padding, StringComparison.Ordinal)));

        using var response = await client.PostAsync(new Uri(SoapWire.Path, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("larger than 65536 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme");
        var added = Assert.Single(after, r => before.All(b => b.Sequence != r.Sequence));
        Assert.Equal("InvalidRequest", added.Outcome);
    }

    // Without a Content-Type SoapCore cannot pick its encoder and fails outside its fault handling: the guard refuses the
    // request first, as the caller's fault, recorded under the fault's RequestId.
    [Fact]
    public async Task Post_NoContentType_400InvalidRequestFaultRecorded()
    {
        using var client = fixture.Host.CreateSoapClient(fixture.Certificate);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Envelope));

        using var response = await client.PostAsync(new Uri(SoapWire.Path, UriKind.Relative), content);

        var reply = new SoapReply(response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.True(HttpStatusCode.BadRequest == reply.Status, $"{reply.Status} {reply.Body}");
        reply.AssertCleanFault("InvalidRequest");
        Assert.Equal("Client", reply.EnvelopeFaultCode);
        var requestId = reply.RequestId;
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme"), r => r.Details.Contains(requestId!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("InvalidRequest", record.Outcome);
    }

    private static void AssertNoHtmlNorException(HttpResponseMessage response, string body)
    {
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    private static StringContent Soap11(string xml)
    {
        var content = new StringContent(xml, Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", $"\"{SoapWire.Namespace}:WSGetDiversifiedKeys\"");
        return content;
    }

    /// <summary>Sends <paramref name="requestHead"/> over mutual TLS; returns the response head and whether the server then closed.</summary>
    private async Task<(string Head, bool Closed)> RawExchangeAsync(string requestHead)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, fixture.Host.SoapPort, timeout.Token);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ClientCertificates = [fixture.Certificate],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        }, timeout.Token);
        await tls.WriteAsync(Encoding.ASCII.GetBytes(requestHead), timeout.Token);
        await tls.FlushAsync(timeout.Token);

        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await tls.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
            var text = Encoding.ASCII.GetString(received.ToArray());
            return (text, false);
        }
        catch (IOException)
        {
            // A reset after the answer is a close too.
        }

        var all = Encoding.ASCII.GetString(received.ToArray());
        var end = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (end < 0 ? all : all[..(end + 2)], true);
    }

    /// <summary>Content of unknown length: sent chunked, without Content-Length.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 8192)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(8192, bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
