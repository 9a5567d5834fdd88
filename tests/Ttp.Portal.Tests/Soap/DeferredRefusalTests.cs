using System.Net;
using Ttp.Domain.Data;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// A body SoapCore cannot read is refused by the guard once SoapCore returns (the fault transformer cannot wait on the
/// audit trail): recorded first, then answered; when the refusal cannot be recorded, the answer is ServiceUnavailable with
/// its own status (500, Receiver), not the InvalidRequest status of the binding (400 under SOAP 1.2).
/// </summary>
public sealed class DeferredRefusalTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task UnreadableBody_DatabaseGone_ServiceUnavailable500Receiver(DatabaseProvider provider)
    {
        using var host = new PortalHost(database: provider);
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        using var client = host.CreateSoapClient(certificate);
        // The control: with the database there, the same body is an InvalidRequest with the SOAP 1.2 binding's 400.
        var readable = await SoapWire.PostAsync(client, SoapWire.Request(kekIndex: "one"), soap12: true);
        Assert.True(HttpStatusCode.BadRequest == readable.Status, $"{readable.Status}: {readable.Body}");
        readable.AssertCleanFault("InvalidRequest");

        await host.TakeDatabaseAwayAsync();
        var reply = await SoapWire.PostAsync(client, SoapWire.Request(kekIndex: "one"), soap12: true);

        Assert.True(HttpStatusCode.InternalServerError == reply.Status, $"{reply.Status}: {reply.Body}");
        reply.AssertCleanFault("ServiceUnavailable");
        Assert.Equal("Receiver", reply.EnvelopeFaultCode);
        Assert.True(Guid.TryParse(reply.RequestId, out _), reply.Body);
    }
}
