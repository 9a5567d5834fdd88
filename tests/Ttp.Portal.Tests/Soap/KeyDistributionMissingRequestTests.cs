using System.Net;
using Ttp.Domain.Data;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// A SOAP body without the operation's request element (empty, only whitespace, or the operation's name with nothing in
/// it): refused as InvalidRequest with the binding's status, with a RequestId, and audited for the pinned TSM like every
/// other invalid request.
/// </summary>
public sealed class KeyDistributionMissingRequestTests(BadInputHosts fixture) : IClassFixture<BadInputHosts>
{
    public static TheoryData<DatabaseProvider, string, string, bool> Cases()
    {
        var cases = new TheoryData<DatabaseProvider, string, string, bool>();
        (string Name, string Body)[] bodies =
        [
            ("empty body", string.Empty),
            ("whitespace body", "  \n  "),
            ("operation element without request", $"<WSGetDiversifiedKeys xmlns=\"{SoapWire.Namespace}\"/>"),
            ("operation element with empty content", $"<WSGetDiversifiedKeys xmlns=\"{SoapWire.Namespace}\"></WSGetDiversifiedKeys>"),
        ];
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            foreach (var (name, body) in bodies)
            {
                cases.Add(provider, name, body, false);
                cases.Add(provider, name, body, true);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MissingRequestElement_InvalidRequestFault_Audited(DatabaseProvider provider, string name, string body, bool soap12)
    {
        var host = await fixture.HostAsync(provider);
        using var client = host.CreateSoapClient(fixture.Certificate);

        var reply = await SoapWire.PostAsync(client, body, soap12);

        Assert.True((soap12 ? HttpStatusCode.BadRequest : HttpStatusCode.InternalServerError) == reply.Status, $"{name}: {reply.Status} {reply.Body}");
        reply.AssertCleanFault("InvalidRequest");
        Assert.Equal(soap12 ? "Sender" : "Client", reply.EnvelopeFaultCode);
        var requestId = reply.RequestId;
        Assert.True(Guid.TryParse(requestId, out _), $"{name}: RequestId '{requestId}' in {reply.Body}");
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(host, "acme"),
            r => r.Details.Contains(requestId!, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("InvalidRequest", record.Outcome);
        Assert.Contains("acme", record.Details, StringComparison.Ordinal);
        Assert.Equal("WSGetDiversifiedKeysRequest: missing", System.Text.Json.JsonDocument.Parse(record.Details).RootElement.GetProperty("message").GetString());
    }
}
