using System.Net;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;

namespace Ttp.Portal.Tests.Soap;

/// <summary>One portal with a TSM, its KEK and the GP default key set, shared by the bad-input tests.</summary>
public sealed class BadInputHost : IAsyncLifetime
{
    internal PortalHost Host { get; } = new();

    internal System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate { get; } = TestClientCertificates.Create("acme");

    public async Task InitializeAsync()
    {
        await Host.RegisterTsmAsync("acme", Certificate, "A0000001");
        await Host.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"));
        await Host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11,
            Convert.FromHexString("404142434445464748494A4B4C4D4E4F"));
    }

    public Task DisposeAsync()
    {
        Certificate.Dispose();
        Host.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Bad input through SOAP: each answered by a clean SOAP fault (InvalidRequest) with the HTTP status its binding
/// defines (SOAP 1.1: 500 with faultcode Client; SOAP 1.2: 400 with Code Sender), and audited as a key request with
/// outcome InvalidRequest for the calling TSM.
/// </summary>
public sealed class KeyDistributionBadInputTests(BadInputHost fixture) : IClassFixture<BadInputHost>
{
    public static TheoryData<string, string, bool> Cases()
    {
        var cases = new TheoryData<string, string, bool>();
        (string Name, string Request)[] requests =
        [
            ("odd-length KDD", SoapWire.Request(kdd: "0102030405060708090")),
            ("non-hex KDD", SoapWire.Request(kdd: "0102030405060708090G")),
            ("9-byte KDD", SoapWire.Request(kdd: "010203040506070809")),
            ("11-byte KDD", SoapWire.Request(kdd: "0102030405060708090A0B")),
            ("odd-length IIN", SoapWire.Request(iin: "A000001")),
            ("non-hex IIN", SoapWire.Request(iin: "A00000ZZ")),
            ("missing KDD", SoapWire.Request(kdd: null)),
            ("garbage E0", SoapWire.Request(e0: "DEADBEEFDEADBEEF")),
            ("truncated E0", SoapWire.Request(e0: "E012C00401FF8010C00402FF8010C004")),
            ("E0 of two key sets without KVN", SoapWire.Request(e0: "E018C00401FF8010C00402FF8010C00401208010C00402208010")),
            ("KVN not in E0", SoapWire.Request(kvn: "32")),
            ("negative KEK index", SoapWire.Request(kekIndex: "-1")),
            ("KEK index 256", SoapWire.Request(kekIndex: "256")),
            ("KEK index int.MaxValue", SoapWire.Request(kekIndex: "2147483647")),
            ("odd-length sequence counter", SoapWire.Request(extra: string.Empty).Replace(
                "<KeyInformationTemplate>", "<SequenceCounter>001</SequenceCounter><KeyInformationTemplate>", StringComparison.Ordinal)),
        ];
        foreach (var (name, request) in requests)
        {
            cases.Add(name, request, false);
            cases.Add(name, request, true);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadField_CleanInvalidRequestFault_WithBindingStatus_Audited(string name, string request, bool soap12)
    {
        using var client = fixture.Host.CreateSoapClient(fixture.Certificate);

        var reply = await SoapWire.PostAsync(client, request, soap12);

        Assert.True((soap12 ? HttpStatusCode.BadRequest : HttpStatusCode.InternalServerError) == reply.Status, $"{name}: {reply.Status} {reply.Body}");
        reply.AssertCleanFault("InvalidRequest");
        Assert.Equal(soap12 ? "Sender" : "Client", reply.EnvelopeFaultCode);
        Assert.Contains(soap12 ? SoapWire.Soap12 : SoapWire.Soap11, reply.Body, StringComparison.Ordinal);
        var requestId = reply.RequestId;
        Assert.True(Guid.TryParse(requestId, out _), $"{name}: RequestId '{requestId}' in {reply.Body}");
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme"),
            r => r.Details.Contains(requestId!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("InvalidRequest", record.Outcome);
    }

    [Theory]
    [InlineData("99999999999", false)]
    [InlineData("99999999999", true)]
    [InlineData("one", false)]
    [InlineData("one", true)]
    public async Task KekIndexNotAnInt_CleanInvalidRequestFault(string kekIndex, bool soap12)
    {
        using var client = fixture.Host.CreateSoapClient(fixture.Certificate);

        var reply = await SoapWire.PostAsync(client, SoapWire.Request(kekIndex: kekIndex), soap12);

        Assert.True((soap12 ? HttpStatusCode.BadRequest : HttpStatusCode.InternalServerError) == reply.Status, $"{reply.Status} {reply.Body}");
        reply.AssertCleanFault("InvalidRequest");
        Assert.Equal(soap12 ? "Sender" : "Client", reply.EnvelopeFaultCode);
    }

    // A value the XmlSerializer cannot read is refused before KeyRequestService sees the request; the refusal must still
    // carry a RequestId and be audited for the pinned TSM.
    [Theory]
    [InlineData("99999999999", false)]
    [InlineData("one", true)]
    public async Task KekIndexNotAnInt_RefusalAudited(string kekIndex, bool soap12)
    {
        using var client = fixture.Host.CreateSoapClient(fixture.Certificate);

        var reply = await SoapWire.PostAsync(client, SoapWire.Request(kekIndex: kekIndex), soap12);

        var requestId = reply.RequestId;
        Assert.True(Guid.TryParse(requestId, out _), $"RequestId '{requestId}' in {reply.Body}");
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme"),
            r => r.Details.Contains(requestId!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("InvalidRequest", record.Outcome);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownElement_Ignored_KeysDelivered(bool soap12)
    {
        // Decision observed: the XmlSerializer contract ignores elements it does not know (forward compatibility for
        // TSMs sending tags of a later version); the request is answered normally and audited ok.
        using var client = fixture.Host.CreateSoapClient(fixture.Certificate);

        var reply = await SoapWire.PostAsync(client, SoapWire.Request(extra: "<Colour>blue</Colour><Nested><A>1</A></Nested>"), soap12);

        Assert.True(HttpStatusCode.OK == reply.Status, $"{reply.Status} {reply.Body}");
        Assert.False(reply.IsFault);
        Assert.Equal(3, reply.Keys.Count);
        var requestId = reply.RequestId;
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(fixture.Host, "acme"),
            r => r.Details.Contains(requestId!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("ok", record.Outcome);
        Assert.DoesNotContain("blue", record.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WrongOperationElement_CleanFault(bool soap12)
    {
        using var client = fixture.Host.CreateSoapClient(fixture.Certificate);

        var reply = await SoapWire.PostAsync(client, "<SomethingElse xmlns=\"urn:ttp:keydistribution:v1\"><A>1</A></SomethingElse>", soap12);

        Assert.True((int)reply.Status is 400 or 500, $"{reply.Status} {reply.Body}");
        Assert.DoesNotContain("<html", reply.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", reply.Body, StringComparison.Ordinal);
        Assert.True(reply.IsFault, reply.Body);
        Assert.Empty(reply.Keys);
    }
}
