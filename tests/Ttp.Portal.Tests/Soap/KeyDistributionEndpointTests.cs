extern alias tsm;

using System.Net;
using System.ServiceModel;
using System.ServiceModel.Security;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Ttp.Domain.Data;
using Ttp.Domain.KeyRequests;
using tsm::Ttp.TsmClient.Ttp;
using TsmDeliveredKey = tsm::Ttp.TsmClient.Ttp.DeliveredKey;
using TsmKeyRequest = tsm::Ttp.TsmClient.Ttp.KeyRequest;

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
    public async Task Handshake_UnpinnedOrNoCertificate_RefusedInTlsHandshakeWhilePinnedIsServed()
    {
        using var host = new PortalHost();
        using var pinned = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", pinned, "A0000001");
        using var unpinned = TestClientCertificates.Create("stranger");

        await SoapHandshakes.AssertAcceptedAsync(host, pinned);
        await SoapHandshakes.AssertRefusedAsync(host, unpinned);
        await SoapHandshakes.AssertRefusedAsync(host, null);

        Assert.Contains(host.Log.Lines, l => l.Message == $"Client certificate {SoapHandshakes.Thumbprint(unpinned)} refused: not pinned to an accredited TSM");
    }

    [Fact]
    public async Task Handshake_ClientCaPathConfigured_PinnedCertificateMustAlsoChainToTheCa()
    {
        using var authority = TestClientCertificates.CreateAuthority("TSM CA");
        using var otherAuthority = TestClientCertificates.CreateAuthority("Other CA");
        var caFolder = Directory.CreateTempSubdirectory("ttp-client-ca-").FullName;
        var caFile = System.IO.Path.Combine(caFolder, "client-ca.pem");
        await File.WriteAllTextAsync(caFile, authority.ExportCertificatePem());
        using var host = new PortalHost(new Dictionary<string, string> { ["Ttp:Soap:ClientCaPath"] = caFile });
        using var issued = TestClientCertificates.CreateIssuedBy(authority, "acme");
        using var selfSigned = TestClientCertificates.Create("globex");
        using var foreign = TestClientCertificates.CreateIssuedBy(otherAuthority, "initech");
        await host.RegisterTsmAsync("acme", issued, "A0000001");
        await host.RegisterTsmAsync("globex", selfSigned, "A0000001");
        await host.RegisterTsmAsync("initech", foreign, "A0000001");

        // Pinned and issued by the configured CA: served. Pinned to an accredited TSM, but not issued by that CA: refused
        // in the handshake, for that reason.
        await SoapHandshakes.AssertAcceptedAsync(host, issued);
        await SoapHandshakes.AssertRefusedAsync(host, selfSigned);
        await SoapHandshakes.AssertRefusedAsync(host, foreign);

        foreach (var certificate in new[] { selfSigned, foreign })
        {
            Assert.Contains(host.Log.Lines, l => l.Message == $"Client certificate {SoapHandshakes.Thumbprint(certificate)} refused: does not chain to Ttp:Soap:ClientCaPath");
        }

        Directory.Delete(caFolder, recursive: true);
    }

    [Fact]
    public async Task Handshake_ClientCaPathConfigured_ChainCheckedAtThePortalsClock()
    {
        // A certificate issued by the configured CA for a period that has not begun by the system clock, but has by the
        // portal's (a fake, 40 days ahead): the whole handshake decision, the CA chain included, follows the portal's
        // clock. The CA is valid from 2 days ago for 60 days.
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(now + TimeSpan.FromDays(40));
        using var authority = TestClientCertificates.CreateAuthority("TSM CA");
        var caFolder = Directory.CreateTempSubdirectory("ttp-client-ca-").FullName;
        var caFile = System.IO.Path.Combine(caFolder, "client-ca.pem");
        await File.WriteAllTextAsync(caFile, authority.ExportCertificatePem());
        using var host = new PortalHost(new Dictionary<string, string> { ["Ttp:Soap:ClientCaPath"] = caFile }, time: clock);
        using var later = TestClientCertificates.CreateIssuedBy(authority, "acme", now + TimeSpan.FromDays(35), now + TimeSpan.FromDays(50));
        await host.RegisterTsmAsync("acme", later, "A0000001");

        await SoapHandshakes.AssertAcceptedAsync(host, later);

        // The control: past its NotAfter by the portal's clock, the same certificate is refused.
        clock.SetUtcNow(new DateTimeOffset(later.NotAfter.ToUniversalTime(), TimeSpan.Zero) + TimeSpan.FromSeconds(1));
        await host.Services.GetRequiredService<AccreditedCertificates>().RefreshAsync();
        await SoapHandshakes.AssertRefusedAsync(host, later);
        Directory.Delete(caFolder, recursive: true);
    }

    [Fact]
    public async Task Handshake_ClockPastCertificateNotAfter_RefusedInTlsHandshake()
    {
        // The portal's clock is a fake: the certificate (valid for a day) expires when the test moves the clock, not
        // while the host starts. NotAfter is whole seconds, in UTC.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = new PortalHost(time: clock);
        using var certificate = TestClientCertificates.Create("acme", validFor: TimeSpan.FromDays(1));
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        var pins = host.Services.GetRequiredService<AccreditedCertificates>();
        await SoapHandshakes.AssertAcceptedAsync(host, certificate);

        // A minute before NotAfter, with the pins checked again at that time: still served.
        clock.SetUtcNow(notAfter - TimeSpan.FromMinutes(1));
        await pins.RefreshAsync();
        await SoapHandshakes.AssertAcceptedAsync(host, certificate);

        // A second past NotAfter: refused in the handshake, because the certificate is outside its validity period.
        clock.SetUtcNow(notAfter + TimeSpan.FromSeconds(1));
        await pins.RefreshAsync();
        await SoapHandshakes.AssertRefusedAsync(host, certificate);

        Assert.Contains(host.Log.Lines, l => l.Message == $"Client certificate {SoapHandshakes.Thumbprint(certificate)} refused: outside its validity period");
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

        var reply = new SoapReply(response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.DoesNotContain("lollollol", reply.Body, StringComparison.Ordinal);
        reply.AssertCleanFault("InvalidRequest");
        Assert.Equal("Client", reply.EnvelopeFaultCode);
        Assert.True(reply.Body.Length < 2048, reply.Body);
        await AssertAuditedAsync(host, reply, "InvalidRequest");
    }

    [Fact]
    public async Task Post_OneMegabyteBody_Returns413PlainTextAndAudited()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);
        var padding = new string(' ', 1024 * 1024);

        var response = await client.PostAsync(new Uri(Path, UriKind.Relative), Soap11Content(Soap11Request.Replace("<s:Body>", "<s:Body>" + padding, StringComparison.Ordinal)));

        // README: 413, plain text (no SOAP fault, so no RequestId to quote); the refusal is audited all the same.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(host, "acme"));
        Assert.Equal("InvalidRequest", record.Outcome);
    }

    /// <summary>
    /// README: an empty body, or one that is not XML or not a SOAP envelope, is refused before SOAP processing with 400;
    /// truncated XML gets through to the SOAP stack, which cannot read it: the binding's status (SOAP 1.1 500, SOAP 1.2
    /// 400). Always an InvalidRequest fault of the caller (Client / Sender), with the RequestId of its audit record.
    /// </summary>
    public static TheoryData<string, string, bool, HttpStatusCode, string> EmptyOrMalformedBodies() => new()
    {
        { "empty", string.Empty, false, HttpStatusCode.BadRequest, "Client" },
        { "not XML", "not xml at all", false, HttpStatusCode.BadRequest, "Client" },
        { "not a SOAP envelope", "<Envelope xmlns=\"urn:not-soap\"><Body/></Envelope>", false, HttpStatusCode.BadRequest, "Client" },
        { "truncated SOAP 1.1", $"<s:Envelope xmlns:s=\"{SoapWire.Soap11}\"><s:Body><WSGetDiversifiedKeysRequest", false, HttpStatusCode.InternalServerError, "Client" },
        { "truncated SOAP 1.2", $"<s:Envelope xmlns:s=\"{SoapWire.Soap12}\"><s:Body><WSGetDiversifiedKeysRequest", true, HttpStatusCode.BadRequest, "Sender" },
    };

    [Theory]
    [MemberData(nameof(EmptyOrMalformedBodies))]
    public async Task Post_EmptyOrMalformedBody_InvalidRequestFaultWithDocumentedStatus_Audited(
        string name, string body, bool soap12, HttpStatusCode status, string envelopeFaultCode)
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);

        var response = await client.PostAsync(new Uri(Path, UriKind.Relative), soap12 ? Soap12Content(body) : Soap11Content(body));

        var reply = new SoapReply(response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.True(status == reply.Status, $"{name}: {reply.Status} {reply.Body}");
        reply.AssertCleanFault("InvalidRequest");
        Assert.Equal(envelopeFaultCode, reply.EnvelopeFaultCode);
        Assert.Contains(soap12 ? SoapWire.Soap12 : SoapWire.Soap11, reply.Body, StringComparison.Ordinal);
        await AssertAuditedAsync(host, reply, "InvalidRequest");
    }

    [Fact]
    public async Task Post_Soap12EnvelopeAsSoap11ContentType_Returns400InvalidRequestFault()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);
        var soap12 = Soap11Request.Replace(SoapWire.Soap11, SoapWire.Soap12, StringComparison.Ordinal);

        var response = await client.PostAsync(new Uri(Path, UriKind.Relative), Soap11Content(soap12));

        // Answered in the binding the content type names (SOAP 1.1), refused by the guard before SOAP processing: 400.
        var reply = new SoapReply(response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.True(HttpStatusCode.BadRequest == reply.Status, $"{reply.Status}: {reply.Body}");
        reply.AssertCleanFault("InvalidRequest");
        Assert.Equal("Client", reply.EnvelopeFaultCode);
        Assert.Contains(SoapWire.Soap11, reply.Body, StringComparison.Ordinal);
        await AssertAuditedAsync(host, reply, "InvalidRequest");
    }

    [Fact]
    public async Task Post_Soap12RequestForIssuerWithoutKeySet_Returns500ReceiverFaultUnknownIssuer()
    {
        // The TSM is accredited for A0000001, and this server holds no key set for it: UnknownIssuer, the server's side
        // (SOAP 1.2 Receiver, HTTP 500), whatever the KEK.
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);
        var soap12 = Soap11Request.Replace(SoapWire.Soap11, SoapWire.Soap12, StringComparison.Ordinal);

        var response = await client.PostAsync(new Uri(Path, UriKind.Relative), Soap12Content(soap12));

        var reply = new SoapReply(response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.True(HttpStatusCode.InternalServerError == reply.Status, $"{reply.Status}: {reply.Body}");
        Assert.Contains(SoapWire.Soap12, reply.Body, StringComparison.Ordinal);
        reply.AssertCleanFault("UnknownIssuer");
        Assert.Equal("Receiver", reply.EnvelopeFaultCode);
        await AssertAuditedAsync(host, reply, "UnknownIssuer");
    }

    [Fact]
    public async Task WcfClient_IssuerWithoutKeySet_TypedFaultUnknownIssuer()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        var factory = CreateWcfFactory(host, certificate);
        var channel = factory.CreateChannel();
        using var abort = new FactoryAbort(factory);

        // Valid request data from an accredited TSM within its scope (A0000001), and no key set at all for that issuer:
        // the key-request service's checks (data, accreditation, rate, scope, issuer, ...) stop at UnknownIssuer.
        var fault = await Assert.ThrowsAsync<FaultException<KeyDistributionFault>>(() => channel.WSGetDiversifiedKeysAsync(new KeyRequestMessage
        {
            Request = new TsmKeyRequest
            {
                KeyDiversificationData = "0102030405060708090A",
                KeyInformationTemplate = "C00401FF8010C00402FF8010C00403FF8010",
                IssuerIdentificationNumber = "A0000001",
                KekIndex = 1,
            },
        }));
        ((ICommunicationObject)channel).Abort();

        Assert.Equal("UnknownIssuer", fault.Detail.Code);
        Assert.True(fault.Code.IsReceiverFault, fault.Code.Name);
        Assert.StartsWith("IssuerIdentificationNumber: ", fault.Detail.Message, StringComparison.Ordinal);
        Assert.Contains("A0000001", fault.Detail.Message, StringComparison.Ordinal);
        Assert.True(Guid.TryParse(fault.Detail.RequestId, out _), fault.Detail.RequestId);
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(host, "acme"));
        Assert.Equal("UnknownIssuer", record.Outcome);
        Assert.Contains(fault.Detail.RequestId!, record.Details, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task WcfClient_PublishedEmvVector_KeysUnwrapUnderKekToVector(DatabaseProvider provider)
    {
        // OpenJavaCard/openjavacard-tools SCPDiversificationTest.java (EMV CPS 1.1): master 40..4F, KDD 0102030405060708090A.
        const string master = "404142434445464748494A4B4C4D4E4F";
        const string kek = "0123456789ABCDEFFEDCBA9876543210";
        string[] expected = ["6438A05AC377DF302423BC5E2038FB5B", "5A9402DDABC5B9497BBECE0884929B83", "ACB4C129B3912FB782A4EAEE043BAE95"];
        using var host = new PortalHost(database: provider);
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        await host.AddKekAsync("acme", 1, Ttp.Domain.Keks.KekAlgorithm.Tdes2, Ttp.Domain.Keks.KekFormat.GpEncrypted, Convert.FromHexString(kek));
        await host.AddKeySetAsync("A0000001", 0xFF, Ttp.Domain.IssuerKeys.SecureChannelScheme.Scp02,
            Ttp.Crypto.GlobalPlatform.DiversificationMethod.EmvCps11, Convert.FromHexString(master));
        var factory = CreateWcfFactory(host, certificate);
        using var abort = new FactoryAbort(factory);

        var output = await factory.CreateChannel().WSGetDiversifiedKeysAsync(new KeyRequestMessage
        {
            Request = new TsmKeyRequest
            {
                KeyDiversificationData = "0102030405060708090A",
                KeyInformationTemplate = "E012C00401FF8010C00402FF8010C00403FF8010",
                IssuerIdentificationNumber = "A0000001",
                KekIndex = 1,
            },
        });

        var response = Assert.IsType<KeyResponse>(output.Response);
        Assert.True(Guid.TryParse(response.RequestId, out _));
        Assert.Equal("SCP02", response.Scheme);
        Assert.Equal(0xFF, response.KeyVersionNumber);
        Assert.Equal(1, response.KekIndex);
        Assert.Equal("GP", response.Format);
        var keys = Assert.IsType<TsmDeliveredKey[]>(response.Keys);
        Assert.Equal(["ENC", "MAC", "DEK"], keys.Select(k => k.Usage));
        Assert.Equal([1, 2, 3], keys.Select(k => k.KeyId));
        Assert.Equal(expected, keys.Select(k => Convert.ToHexString(
            Ttp.Crypto.GlobalPlatform.GpKeyEncryption.DecryptTdes(Convert.FromHexString(kek), Convert.FromHexString(k.Cryptogram!)))));
        // Delivered only once durably recorded: the one record of this TSM says ok under this RequestId.
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(host, "acme"));
        Assert.Equal("ok", record.Outcome);
        Assert.Contains(response.RequestId!, record.Details, StringComparison.OrdinalIgnoreCase);
    }

    // The fault's RequestId names exactly one key-request record of the TSM, with the fault's code as its outcome.
    private static async Task AssertAuditedAsync(PortalHost host, SoapReply reply, string outcome)
    {
        var requestId = reply.RequestId;
        Assert.True(Guid.TryParse(requestId, out _), $"RequestId '{requestId}' in {reply.Body}");
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(host, "acme"), r => r.Details.Contains(requestId!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(outcome, record.Outcome);
    }

    private static ChannelFactory<IKeyDistribution> CreateWcfFactory(PortalHost host, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var binding = new BasicHttpBinding(BasicHttpSecurityMode.Transport);
        binding.Security.Transport.ClientCredentialType = HttpClientCredentialType.Certificate;
        var factory = new ChannelFactory<IKeyDistribution>(binding, new EndpointAddress(new Uri(host.SoapAddress, Path)));
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

    private static StringContent Soap12Content(string xml)
    {
        var content = new StringContent(xml, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(
            $"application/soap+xml; charset=utf-8; action=\"{Namespace}:WSGetDiversifiedKeys\"");
        return content;
    }
}
