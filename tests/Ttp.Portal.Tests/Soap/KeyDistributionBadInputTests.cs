using System.Net;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// One portal per database provider with a TSM, its KEK and the GP default key set, shared by the bad-input tests; each
/// started on first use (so that the SQLite cases run whether or not PostgreSQL is there).
/// </summary>
public sealed class BadInputHosts : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<DatabaseProvider, PortalHost> _hosts = [];

    internal System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate { get; } = TestClientCertificates.Create("acme");

    internal async Task<PortalHost> HostAsync(DatabaseProvider provider)
    {
        await _gate.WaitAsync();
        try
        {
            if (_hosts.TryGetValue(provider, out var started))
            {
                return started;
            }

            var host = new PortalHost(database: provider);
            _hosts[provider] = host;
            await host.RegisterTsmAsync("acme", Certificate, "A0000001");
            await host.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"));
            await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11,
                Convert.FromHexString("404142434445464748494A4B4C4D4E4F"));
            return host;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var host in _hosts.Values)
        {
            host.Dispose();
        }

        Certificate.Dispose();
        _gate.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Bad input through SOAP: each answered by a clean SOAP fault (InvalidRequest) with the HTTP status its binding
/// defines (SOAP 1.1: 500 with faultcode Client; SOAP 1.2: 400 with Code Sender), and audited as a key request with
/// outcome InvalidRequest for the calling TSM.
/// </summary>
public sealed class KeyDistributionBadInputTests(BadInputHosts fixture) : IClassFixture<BadInputHosts>
{
    public static TheoryData<DatabaseProvider, string, string, bool> Cases()
    {
        var cases = new TheoryData<DatabaseProvider, string, string, bool>();
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
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            foreach (var (name, request) in requests)
            {
                cases.Add(provider, name, request, false);
                cases.Add(provider, name, request, true);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadField_CleanInvalidRequestFault_WithBindingStatus_Audited(DatabaseProvider provider, string name, string request, bool soap12)
    {
        var host = await fixture.HostAsync(provider);
        using var client = host.CreateSoapClient(fixture.Certificate);

        var reply = await SoapWire.PostAsync(client, request, soap12);

        Assert.True((soap12 ? HttpStatusCode.BadRequest : HttpStatusCode.InternalServerError) == reply.Status, $"{name}: {reply.Status} {reply.Body}");
        reply.AssertCleanFault("InvalidRequest");
        Assert.Equal(soap12 ? "Sender" : "Client", reply.EnvelopeFaultCode);
        Assert.Contains(soap12 ? SoapWire.Soap12 : SoapWire.Soap11, reply.Body, StringComparison.Ordinal);
        var requestId = reply.RequestId;
        Assert.True(Guid.TryParse(requestId, out _), $"{name}: RequestId '{requestId}' in {reply.Body}");
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(host, "acme"),
            r => r.Details.Contains(requestId!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("InvalidRequest", record.Outcome);
    }

    public static TheoryData<DatabaseProvider, string, bool> KekIndexesNotAnInt()
    {
        var cases = new TheoryData<DatabaseProvider, string, bool>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            foreach (var kekIndex in new[] { "99999999999", "one" })
            {
                cases.Add(provider, kekIndex, false);
                cases.Add(provider, kekIndex, true);
            }
        }

        return cases;
    }

    // A value the XmlSerializer cannot read is refused before KeyRequestService sees the request, with the binding's
    // status; the refusal must still carry a RequestId and be audited for the pinned TSM.
    [Theory]
    [MemberData(nameof(KekIndexesNotAnInt))]
    public async Task KekIndexNotAnInt_CleanInvalidRequestFault_Audited(DatabaseProvider provider, string kekIndex, bool soap12)
    {
        var host = await fixture.HostAsync(provider);
        using var client = host.CreateSoapClient(fixture.Certificate);

        var reply = await SoapWire.PostAsync(client, SoapWire.Request(kekIndex: kekIndex), soap12);

        Assert.True((soap12 ? HttpStatusCode.BadRequest : HttpStatusCode.InternalServerError) == reply.Status, $"{reply.Status} {reply.Body}");
        reply.AssertCleanFault("InvalidRequest");
        Assert.Equal(soap12 ? "Sender" : "Client", reply.EnvelopeFaultCode);
        var requestId = reply.RequestId;
        Assert.True(Guid.TryParse(requestId, out _), $"RequestId '{requestId}' in {reply.Body}");
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(host, "acme"),
            r => r.Details.Contains(requestId!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("InvalidRequest", record.Outcome);
    }

    public static TheoryData<DatabaseProvider, bool> Bindings()
    {
        var cases = new TheoryData<DatabaseProvider, bool>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            cases.Add(provider, false);
            cases.Add(provider, true);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task UnknownElement_Ignored_KeysDelivered(DatabaseProvider provider, bool soap12)
    {
        // Decision observed: the XmlSerializer contract ignores elements it does not know (forward compatibility for
        // TSMs sending tags of a later version); the request is answered normally and audited ok.
        var host = await fixture.HostAsync(provider);
        using var client = host.CreateSoapClient(fixture.Certificate);

        var reply = await SoapWire.PostAsync(client, SoapWire.Request(extra: "<Colour>blue</Colour><Nested><A>1</A></Nested>"), soap12);

        Assert.True(HttpStatusCode.OK == reply.Status, $"{reply.Status} {reply.Body}");
        Assert.False(reply.IsFault);
        Assert.Equal(3, reply.Keys.Count);
        var requestId = reply.RequestId;
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(host, "acme"),
            r => r.Details.Contains(requestId!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("ok", record.Outcome);
        Assert.DoesNotContain("blue", record.Details, StringComparison.Ordinal);
    }

    // Not a WSGetDiversifiedKeysRequest: a body the SOAP stack cannot read as the operation's message (README: an
    // InvalidRequest fault with the binding's status), audited for the pinned TSM.
    [Theory]
    [MemberData(nameof(Bindings))]
    public async Task WrongOperationElement_InvalidRequestFaultWithBindingStatus_Audited(DatabaseProvider provider, bool soap12)
    {
        var host = await fixture.HostAsync(provider);
        using var client = host.CreateSoapClient(fixture.Certificate);

        var reply = await SoapWire.PostAsync(client, "<SomethingElse xmlns=\"urn:ttp:keydistribution:v1\"><A>1</A></SomethingElse>", soap12);

        Assert.True((soap12 ? HttpStatusCode.BadRequest : HttpStatusCode.InternalServerError) == reply.Status, $"{reply.Status} {reply.Body}");
        reply.AssertCleanFault("InvalidRequest");
        Assert.Equal(soap12 ? "Sender" : "Client", reply.EnvelopeFaultCode);
        var requestId = reply.RequestId;
        Assert.True(Guid.TryParse(requestId, out _), $"RequestId '{requestId}' in {reply.Body}");
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(host, "acme"),
            r => r.Details.Contains(requestId!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("InvalidRequest", record.Outcome);
    }
}
