using System.Net;
using System.Security.Authentication;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tsms;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// Every fault code of DESIGN.md section 5 produced through SOAP (raw HTTP over real mutual TLS): the HTTP status of the
/// binding (SOAP 1.1: 500), the typed detail, no key in the answer, and the refusal audited for the identified TSM.
/// </summary>
public sealed class KeyDistributionFaultCodeTests
{
    private const string Master = "404142434445464748494A4B4C4D4E4F";
    private const string TdesKek = "0123456789ABCDEFFEDCBA9876543210";

    [Fact]
    public async Task DomainRefusals_EachFaultCode_AnsweredAndAudited()
    {
        using var host = new PortalHost();
        using var acme = TestClientCertificates.Create("acme");
        using var other = TestClientCertificates.Create("other");
        await host.RegisterTsmAsync("acme", acme, "A0000001", "A0000002", "A0000003");
        await host.RegisterTsmAsync("other", other, "A0000001");
        await host.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString(TdesKek));
        await host.AddKekAsync("other", 7, KekAlgorithm.Aes256, KekFormat.Tr31, new byte[32]);
        await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Convert.FromHexString(Master));
        await host.AddKeySetAsync("A0000003", 0x30, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, Convert.FromHexString(Master));
        using var client = host.CreateSoapClient(acme);

        (string Code, string Request)[] cases =
        [
            ("InvalidRequest", SoapWire.Request(kdd: "0102030405060708090")),
            ("ScopeDenied", SoapWire.Request(iin: "A0000009")),
            ("UnknownIssuer", SoapWire.Request(iin: "A0000002")),
            ("UnknownKeySet", SoapWire.Request(e0: "E012C00401208010C00402208010C00403208010")),
            ("UnknownKek", SoapWire.Request(kekIndex: "7")),
            ("WeakKek", SoapWire.Request(iin: "A0000003", e0: "E012C00401308810C00402308810C00403308810")),
        ];

        foreach (var (code, request) in cases)
        {
            var reply = await SoapWire.PostAsync(client, request);

            Assert.True(HttpStatusCode.InternalServerError == reply.Status, $"{code}: {reply.Status} {reply.Body}");
            reply.AssertCleanFault(code);
            Assert.Equal(code == "InvalidRequest" ? "Client" : "Server", reply.EnvelopeFaultCode);
            var requestId = reply.RequestId;
            Assert.True(Guid.TryParse(requestId, out _), $"{code}: RequestId '{requestId}'");
            var records = await SoapWire.KeyRequestRecordsAsync(host, "acme");
            var record = Assert.Single(records, r => r.Details.Contains(requestId!, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(code, record.Outcome);
        }

        // Nothing was delivered, so no record says ok; and the other TSM's KEK index did not leak its check value.
        Assert.DoesNotContain(await SoapWire.KeyRequestRecordsAsync(host, "acme"), r => r.Outcome == "ok");
    }

    [Fact]
    public async Task SuspendedTsm_PinnedButNotAccredited_RevokedTsm_RefusedInHandshake()
    {
        using var host = new PortalHost();
        using var sleepy = TestClientCertificates.Create("sleepy");
        using var gone = TestClientCertificates.Create("gone");
        await host.RegisterTsmAsync("sleepy", sleepy, "A0000001");
        await host.RegisterTsmAsync("gone", gone, "A0000001");
        await host.AddKekAsync("sleepy", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString(TdesKek));
        await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Convert.FromHexString(Master));
        var tsms = host.Services.GetRequiredService<TsmService>();
        await tsms.SuspendAsync("sleepy", "test: suspended", Actor.Staff("ops@ttp.test"));
        await tsms.RevokeAsync("gone", "test: revoked", Actor.Staff("ops@ttp.test"));
        await host.Services.GetRequiredService<AccreditedCertificates>().RefreshAsync();
        using var sleepyClient = host.CreateSoapClient(sleepy);
        using var goneClient = host.CreateSoapClient(gone);

        var suspended = await SoapWire.PostAsync(sleepyClient, SoapWire.Request());
        var revoked = await Assert.ThrowsAnyAsync<Exception>(() => SoapWire.PostAsync(goneClient, SoapWire.Request()));

        Assert.Equal(HttpStatusCode.InternalServerError, suspended.Status);
        suspended.AssertCleanFault("NotAccredited");
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(host, "sleepy"));
        Assert.Equal("NotAccredited", record.Outcome);
        Assert.Contains(suspended.RequestId!, record.Details, StringComparison.OrdinalIgnoreCase);
        // A revoked TSM's certificate is no longer pinned: the TLS handshake fails, no HTTP exchange and no record.
        Assert.True(revoked is HttpRequestException or AuthenticationException, revoked.ToString());
        Assert.Empty(await SoapWire.KeyRequestRecordsAsync(host, "gone"));
    }

    [Fact]
    public async Task RateLimit_BurstExhausted_RateLimitedAndAudited()
    {
        using var host = new PortalHost(new Dictionary<string, string>
        {
            ["Ttp:Soap:RateLimit:PermitsPerSecond"] = "0.01",
            ["Ttp:Soap:RateLimit:Burst"] = "2",
        });
        using var acme = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", acme, "A0000001");
        using var client = host.CreateSoapClient(acme);

        // No key set for A0000001: the first two answers are UnknownIssuer, but they spend the burst all the same.
        var first = await SoapWire.PostAsync(client, SoapWire.Request());
        var second = await SoapWire.PostAsync(client, SoapWire.Request());
        var third = await SoapWire.PostAsync(client, SoapWire.Request());

        first.AssertCleanFault("UnknownIssuer");
        second.AssertCleanFault("UnknownIssuer");
        Assert.Equal(HttpStatusCode.InternalServerError, third.Status);
        third.AssertCleanFault("RateLimited");
        var records = await SoapWire.KeyRequestRecordsAsync(host, "acme");
        Assert.Equal(["UnknownIssuer", "UnknownIssuer", "RateLimited"], records.OrderBy(r => r.Sequence).Select(r => r.Outcome));
    }

    [Fact]
    public async Task DatabaseGone_ServiceUnavailable_NoKeyReleased()
    {
        using var host = new PortalHost();
        using var acme = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", acme, "A0000001");
        await host.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString(TdesKek));
        await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Convert.FromHexString(Master));
        using var client = host.CreateSoapClient(acme);
        var before = await SoapWire.PostAsync(client, SoapWire.Request());
        Assert.True(HttpStatusCode.OK == before.Status, before.Body);
        Assert.Equal(3, before.Keys.Count);

        // Take the SQLite database away: close the pooled connections, delete the files, and put a directory where the
        // database file was, so that no connection can open it again.
        SqliteConnection.ClearAllPools();
        var database = Path.Combine(host.DataDirectory, "ttp.db");
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(file);
        }

        Directory.CreateDirectory(database);
        var reply = await SoapWire.PostAsync(client, SoapWire.Request());

        Assert.True(HttpStatusCode.InternalServerError == reply.Status, $"{reply.Status}: {reply.Body}");
        reply.AssertCleanFault("ServiceUnavailable");
        Assert.Equal("Server", reply.EnvelopeFaultCode);
    }
}
