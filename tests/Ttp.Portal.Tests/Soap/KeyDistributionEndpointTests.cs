using System.Net;
using System.Security.Authentication;
using System.ServiceModel;
using System.ServiceModel.Security;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.KeyRequests;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// The SOAP endpoint on real Kestrel with real mutual TLS: contract (WSDL, WCF client, typed faults), port separation,
/// certificate pinning in the handshake, and the refusals made before SoapCore (DTD, size, empty or broken body).
/// </summary>
public sealed class KeyDistributionEndpointTests
{
    private const string Path = "/soap/v1/KeyDistribution.svc";
    private const string Namespace = "urn:ttp:keydistribution:v1";

    private const string Soap11Request = """
        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
          <s:Body>
            <WSGetDiversifiedKeysRequest xmlns="urn:ttp:keydistribution:v1">
              <KeyDiversificationData>0102030405060708090A</KeyDiversificationData>
              <KeyInformationTemplate>C00401FF8010C00402FF8010C00403FF8010</KeyInformationTemplate>
              <IssuerIdentificationNumber>A0000001</IssuerIdentificationNumber>
              <KekIndex>1</KekIndex>
            </WSGetDiversifiedKeysRequest>
          </s:Body>
        </s:Envelope>
        """;

    [Fact]
    public async Task Wsdl_OnSoapPort_NamesContractElementsAndBothSoapVersions()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);

        var response = await client.GetAsync(new Uri(Path + "?wsdl", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var wsdl = await response.Content.ReadAsStringAsync();
        foreach (var name in new[]
        {
            Namespace, "WSGetDiversifiedKeys", "WSGetDiversifiedKeysRequest", "WSGetDiversifiedKeysResponse",
            "SecurityDomainManagerUrl", "KeyDiversificationData", "KeyInformationTemplate", "SequenceCounter",
            "IssuerIdentificationNumber", "CardImageNumber", "KeyVersionNumber", "KekIndex", "RequestId", "Scheme",
            "DiversificationMethod", "KekCheckValue", "Format", "Keys", "KeyBlock", "Cryptogram", "CheckValue",
            "http://schemas.xmlsoap.org/wsdl/soap/", "http://schemas.xmlsoap.org/wsdl/soap12/",
        })
        {
            Assert.Contains(name, wsdl, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Ttp:Soap:MaxMessageBytes", "10", "Ttp:Soap:MaxMessageBytes")]
    [InlineData("Ttp:Soap:ClientCaPath", "/no/such/ca.pem", "Ttp:Soap:ClientCaPath")]
    [InlineData("Kestrel:Endpoints:Soap:Url", "https://127.0.0.1", "Kestrel:Endpoints:Soap:Url")]
    public void Start_BadSoapSetting_FailsNamingTheKey(string key, string value, string named)
    {
        using var host = new PortalHost(new Dictionary<string, string> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(host.StartServer);

        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SoapPath_OnPortalPort_Returns404()
    {
        using var host = new PortalHost();
        host.StartServer();
        using var client = host.CreateTlsClient(out _);

        var wsdl = await client.GetAsync(new Uri(Path + "?wsdl", UriKind.Relative));
        var post = await client.PostAsync(new Uri(Path, UriKind.Relative), Soap11Content(Soap11Request));

        Assert.Equal(HttpStatusCode.NotFound, wsdl.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task PortalPage_OnSoapPort_Returns404()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);

        var home = await client.GetAsync(new Uri("/", UriKind.Relative));
        var asset = await client.GetAsync(new Uri("/assets/portal.css", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, home.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, asset.StatusCode);
    }

    [Fact]
    public async Task Handshake_UnpinnedOrNoCertificate_FailsBeforeHttp()
    {
        using var host = new PortalHost();
        using var pinned = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", pinned, "A0000001");
        using var unpinned = TestClientCertificates.Create("stranger");
        using var strangerClient = host.CreateSoapClient(unpinned);
        using var anonymousClient = host.CreateSoapClient(null);

        var stranger = await Assert.ThrowsAnyAsync<Exception>(() => strangerClient.GetAsync(new Uri(Path + "?wsdl", UriKind.Relative)));
        var anonymous = await Assert.ThrowsAnyAsync<Exception>(() => anonymousClient.GetAsync(new Uri(Path + "?wsdl", UriKind.Relative)));

        Assert.True(stranger is HttpRequestException or AuthenticationException, stranger.ToString());
        Assert.True(anonymous is HttpRequestException or AuthenticationException, anonymous.ToString());
    }

    [Fact]
    public async Task Handshake_ClientCaPathConfigured_PinnedCertificateMustAlsoChainToTheCa()
    {
        using var authority = TestClientCertificates.CreateAuthority("TSM CA");
        using var otherAuthority = TestClientCertificates.CreateAuthority("Other CA");
        var caFile = System.IO.Path.Combine(Directory.CreateTempSubdirectory("ttp-client-ca-").FullName, "client-ca.pem");
        await File.WriteAllTextAsync(caFile, authority.ExportCertificatePem());
        using var host = new PortalHost(new Dictionary<string, string> { ["Ttp:Soap:ClientCaPath"] = caFile });
        using var issued = TestClientCertificates.CreateIssuedBy(authority, "acme");
        using var selfSigned = TestClientCertificates.Create("globex");
        using var foreign = TestClientCertificates.CreateIssuedBy(otherAuthority, "initech");
        await host.RegisterTsmAsync("acme", issued, "A0000001");
        await host.RegisterTsmAsync("globex", selfSigned, "A0000001");
        await host.RegisterTsmAsync("initech", foreign, "A0000001");

        using (var chained = host.CreateSoapClient(issued))
        {
            Assert.Equal(HttpStatusCode.OK, (await chained.GetAsync(new Uri(Path + "?wsdl", UriKind.Relative))).StatusCode);
        }

        // Pinned to an accredited TSM, but not issued by the configured CA: refused in the handshake.
        foreach (var certificate in new[] { selfSigned, foreign })
        {
            using var client = host.CreateSoapClient(certificate);
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync(new Uri(Path + "?wsdl", UriKind.Relative)));
            Assert.True(refused is HttpRequestException or AuthenticationException, refused.ToString());
        }
    }

    [Fact]
    public async Task Handshake_CertificateExpiredAfterApproval_Fails()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme", validFor: TimeSpan.FromSeconds(10));
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using (var whileValid = host.CreateSoapClient(certificate))
        {
            Assert.Equal(HttpStatusCode.OK, (await whileValid.GetAsync(new Uri(Path + "?wsdl", UriKind.Relative))).StatusCode);
        }

        await Task.Delay(certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow + TimeSpan.FromSeconds(1.5));
        await host.Services.GetRequiredService<AccreditedCertificates>().RefreshAsync();
        using var afterExpiry = host.CreateSoapClient(certificate);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => afterExpiry.GetAsync(new Uri(Path + "?wsdl", UriKind.Relative)));

        Assert.True(refused is HttpRequestException or AuthenticationException, refused.ToString());
    }

    [Fact]
    public async Task Post_DocTypeWithInternalEntities_Returns400WithoutExpanding()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);
        const string bomb = """
            <?xml version="1.0"?>
            <!doctype lolz [<!ENTITY lol "lollollollollollollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <WSGetDiversifiedKeysRequest xmlns="urn:ttp:keydistribution:v1"><KeyDiversificationData>&lol2;</KeyDiversificationData></WSGetDiversifiedKeysRequest>
            </s:Body></s:Envelope>
            """;

        var response = await client.PostAsync(new Uri(Path, UriKind.Relative), Soap11Content(bomb));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("lollollol", body, StringComparison.Ordinal);
        Assert.Contains("InvalidRequest", body, StringComparison.Ordinal);
        Assert.True(body.Length < 2048);
    }

    [Fact]
    public async Task Post_OneMegabyteBody_Returns413()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);
        var padding = new string(' ', 1024 * 1024);

        var response = await client.PostAsync(new Uri(Path, UriKind.Relative), Soap11Content(Soap11Request.Replace("<s:Body>", "<s:Body>" + padding, StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><WSGetDiversifiedKeysRequest")]
    [InlineData("not xml at all")]
    public async Task Post_EmptyOrMalformedBody_AnswersSoapFaultNotHtml(string body)
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);

        var response = await client.PostAsync(new Uri(Path, UriKind.Relative), Soap11Content(body));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.InternalServerError, $"{response.StatusCode}: {text}");
        Assert.Contains("Fault", text, StringComparison.Ordinal);
        Assert.Contains("InvalidRequest", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_Soap12EnvelopeAsSoap11ContentType_AnswersCleanFault()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);
        var soap12 = Soap11Request.Replace("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope", StringComparison.Ordinal);

        var response = await client.PostAsync(new Uri(Path, UriKind.Relative), Soap11Content(soap12));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 600, $"{response.StatusCode}: {text}");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<html", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_Soap12Request_AnswersSoap12FaultOrResponse()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);
        var soap12 = Soap11Request.Replace("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope", StringComparison.Ordinal);
        using var content = new StringContent(soap12, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(
            $"application/soap+xml; charset=utf-8; action=\"{Namespace}:WSGetDiversifiedKeys\"");

        var response = await client.PostAsync(new Uri(Path, UriKind.Relative), content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("http://www.w3.org/2003/05/soap-envelope", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        if (text.Contains("Fault", StringComparison.Ordinal))
        {
            Assert.Contains("KeyDistributionFault", text, StringComparison.Ordinal);
            var sender = text.Contains(":Sender", StringComparison.Ordinal);
            Assert.Equal(sender ? HttpStatusCode.BadRequest : HttpStatusCode.InternalServerError, response.StatusCode);
        }
    }

    [Fact]
    public async Task WcfClient_WSGetDiversifiedKeys_ReachesServiceAndGetsTypedFaultOrKeys()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        var factory = CreateWcfFactory(host, certificate);
        var channel = factory.CreateChannel();
        using var abort = new FactoryAbort(factory);

        // No key set is loaded for this issuer, so whatever the key-request service decides, it is a typed refusal.
        var fault = await Assert.ThrowsAsync<FaultException<ClientFault>>(() => channel.WSGetDiversifiedKeysAsync(new ClientInput
        {
            Request = new ClientRequest
            {
                KeyDiversificationData = "0102030405060708090A",
                KeyInformationTemplate = "C00401FF8010C00402FF8010C00403FF8010",
                IssuerIdentificationNumber = "A0000001",
                KekIndex = 1,
            },
        }));
        ((ICommunicationObject)channel).Abort();

        Assert.False(string.IsNullOrEmpty(fault.Detail.Code));
        Assert.NotEqual("InvalidRequest", fault.Detail.Code);
        Assert.False(string.IsNullOrEmpty(fault.Detail.Message));
        Assert.DoesNotContain("   at ", fault.Detail.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not implemented", fault.Detail.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WcfClient_PublishedEmvVector_KeysUnwrapUnderKekToVector()
    {
        // OpenJavaCard/openjavacard-tools SCPDiversificationTest.java (EMV CPS 1.1): master 40..4F, KDD 0102030405060708090A.
        const string master = "404142434445464748494A4B4C4D4E4F";
        const string kek = "0123456789ABCDEFFEDCBA9876543210";
        string[] expected = ["6438A05AC377DF302423BC5E2038FB5B", "5A9402DDABC5B9497BBECE0884929B83", "ACB4C129B3912FB782A4EAEE043BAE95"];
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        await host.AddKekAsync("acme", 1, Ttp.Domain.Keks.KekAlgorithm.Tdes2, Ttp.Domain.Keks.KekFormat.GpEncrypted, Convert.FromHexString(kek));
        await host.AddKeySetAsync("A0000001", 0xFF, Ttp.Domain.IssuerKeys.SecureChannelScheme.Scp02,
            Ttp.Crypto.GlobalPlatform.DiversificationMethod.EmvCps11, Convert.FromHexString(master));
        var factory = CreateWcfFactory(host, certificate);
        using var abort = new FactoryAbort(factory);

        var output = await factory.CreateChannel().WSGetDiversifiedKeysAsync(new ClientInput
        {
            Request = new ClientRequest
            {
                KeyDiversificationData = "0102030405060708090A",
                KeyInformationTemplate = "E012C00401FF8010C00402FF8010C00403FF8010",
                IssuerIdentificationNumber = "A0000001",
                KekIndex = 1,
            },
        });

        var response = Assert.IsType<ClientResponse>(output.Response);
        Assert.True(Guid.TryParse(response.RequestId, out _));
        Assert.Equal("SCP02", response.Scheme);
        Assert.Equal(0xFF, response.KeyVersionNumber);
        Assert.Equal(1, response.KekIndex);
        Assert.Equal("GP", response.Format);
        var keys = Assert.IsType<ClientKey[]>(response.Keys);
        Assert.Equal(["ENC", "MAC", "DEK"], keys.Select(k => k.Usage));
        Assert.Equal([1, 2, 3], keys.Select(k => k.KeyId));
        Assert.Equal(expected, keys.Select(k => Convert.ToHexString(
            Ttp.Crypto.GlobalPlatform.GpKeyEncryption.DecryptTdes(Convert.FromHexString(kek), Convert.FromHexString(k.Cryptogram!)))));
    }

    private static ChannelFactory<IKeyDistributionClient> CreateWcfFactory(PortalHost host, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var binding = new BasicHttpBinding(BasicHttpSecurityMode.Transport);
        binding.Security.Transport.ClientCredentialType = HttpClientCredentialType.Certificate;
        var factory = new ChannelFactory<IKeyDistributionClient>(binding, new EndpointAddress(new Uri(host.SoapAddress, Path)));
        factory.Credentials.ClientCertificate.Certificate = certificate;
        factory.Credentials.ServiceCertificate.SslCertificateAuthentication = new X509ServiceCertificateAuthentication
        {
            CertificateValidationMode = X509CertificateValidationMode.None,
            RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
        return factory;
    }

    /// <summary>A faulted WCF factory throws on Close (and so on Dispose): abort it instead.</summary>
    private sealed class FactoryAbort(ICommunicationObject factory) : IDisposable
    {
        public void Dispose() => factory.Abort();
    }

    private static StringContent Soap11Content(string xml)
    {
        var content = new StringContent(xml, Encoding.UTF8, "text/xml");
        content.Headers.Add("SOAPAction", $"\"{Namespace}:WSGetDiversifiedKeys\"");
        return content;
    }
}
