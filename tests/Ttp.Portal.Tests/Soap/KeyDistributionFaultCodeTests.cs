using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tsms;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// Every fault code of the contract (README, "For TSMs") produced through SOAP (raw HTTP over real mutual TLS), on SQLite and on
/// PostgreSQL: the HTTP status of the binding (SOAP 1.1: 500; SOAP 1.2: 400 for InvalidRequest, else 500), the SOAP
/// fault code (Client/Sender for InvalidRequest, else Server/Receiver), the typed detail, no key in the answer, and the
/// refusal audited for the identified TSM.
/// </summary>
public sealed class KeyDistributionFaultCodeTests
{
    private const string Master = "404142434445464748494A4B4C4D4E4F";
    private const string TdesKek = "0123456789ABCDEFFEDCBA9876543210";

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task DomainRefusals_EachFaultCode_AnsweredAndAudited(DatabaseProvider provider)
    {
        using var host = new PortalHost(database: provider);
        using var acme = TestClientCertificates.Create("acme");
        using var other = TestClientCertificates.Create("other");
        await host.RegisterTsmAsync("acme", acme, "A0000001", "A0000002", "A0000003");
        await host.RegisterTsmAsync("other", other, "A0000001");
        await host.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString(TdesKek));
        await host.AddKekAsync("other", 7, KekAlgorithm.Aes256, KekFormat.Tr31, new byte[32]);
        await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Convert.FromHexString(Master));
        await host.AddKeySetAsync("A0000003", 0x30, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, Convert.FromHexString(Master));
        using var client = host.CreateSoapClient(acme);

        (string Code, string Request)[] refusals =
        [
            ("InvalidRequest", SoapWire.Request(kdd: "0102030405060708090")),
            ("ScopeDenied", SoapWire.Request(iin: "A0000009")),
            ("UnknownIssuer", SoapWire.Request(iin: "A0000002")),
            ("UnknownKeySet", SoapWire.Request(e0: "E012C00401208010C00402208010C00403208010")),
            // Index 7 is the other TSM's KEK, not acme's.
            ("UnknownKek", SoapWire.Request(kekIndex: "7")),
            ("WeakKek", SoapWire.Request(iin: "A0000003", e0: "E012C00401308810C00402308810C00403308810")),
        ];
        // README's table, per binding: status and SOAP fault code.
        (string Code, bool Soap12, HttpStatusCode Status, string EnvelopeCode)[] expected =
        [
            ("InvalidRequest", false, HttpStatusCode.InternalServerError, "Client"),
            ("InvalidRequest", true, HttpStatusCode.BadRequest, "Sender"),
            ("ScopeDenied", false, HttpStatusCode.InternalServerError, "Server"),
            ("ScopeDenied", true, HttpStatusCode.InternalServerError, "Receiver"),
            ("UnknownIssuer", false, HttpStatusCode.InternalServerError, "Server"),
            ("UnknownIssuer", true, HttpStatusCode.InternalServerError, "Receiver"),
            ("UnknownKeySet", false, HttpStatusCode.InternalServerError, "Server"),
            ("UnknownKeySet", true, HttpStatusCode.InternalServerError, "Receiver"),
            ("UnknownKek", false, HttpStatusCode.InternalServerError, "Server"),
            ("UnknownKek", true, HttpStatusCode.InternalServerError, "Receiver"),
            ("WeakKek", false, HttpStatusCode.InternalServerError, "Server"),
            ("WeakKek", true, HttpStatusCode.InternalServerError, "Receiver"),
        ];

        foreach (var (code, soap12, status, envelopeCode) in expected)
        {
            var request = refusals.Single(r => r.Code == code).Request;

            var reply = await SoapWire.PostAsync(client, request, soap12);

            var binding = soap12 ? "SOAP 1.2" : "SOAP 1.1";
            Assert.True(status == reply.Status, $"{code} {binding}: {reply.Status} {reply.Body}");
            reply.AssertCleanFault(code);
            Assert.Equal(envelopeCode, reply.EnvelopeFaultCode);
            Assert.Contains(soap12 ? SoapWire.Soap12 : SoapWire.Soap11, reply.Body, StringComparison.Ordinal);
            var requestId = reply.RequestId;
            Assert.True(Guid.TryParse(requestId, out _), $"{code} {binding}: RequestId '{requestId}'");
            var records = await SoapWire.KeyRequestRecordsAsync(host, "acme");
            var record = Assert.Single(records, r => r.Details.Contains(requestId!, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(code, record.Outcome);
        }

        // One record per refusal, none says ok (nothing was delivered), and none is filed under the other TSM.
        var all = await SoapWire.KeyRequestRecordsAsync(host, "acme");
        Assert.Equal(expected.Length, all.Count);
        Assert.DoesNotContain(all, r => r.Outcome == "ok");
        Assert.Empty(await SoapWire.KeyRequestRecordsAsync(host, "other"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task SuspendedTsm_PinnedButNotAccredited_RevokedTsm_RefusedInHandshake(DatabaseProvider provider)
    {
        using var host = new PortalHost(database: provider);
        using var sleepy = TestClientCertificates.Create("sleepy");
        using var gone = TestClientCertificates.Create("gone");
        await host.RegisterTsmAsync("sleepy", sleepy, "A0000001");
        await host.RegisterTsmAsync("gone", gone, "A0000001");
        await host.AddKekAsync("sleepy", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString(TdesKek));
        await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Convert.FromHexString(Master));
        // Positive control: while accredited, the TSM to be revoked completes the handshake with the same client.
        await SoapHandshakes.AssertAcceptedAsync(host, gone);
        var tsms = host.Services.GetRequiredService<TsmService>();
        await tsms.SuspendAsync("sleepy", "test: suspended", Actor.Staff("ops@ttp.test"));
        await tsms.RevokeAsync("gone", "test: revoked", Actor.Staff("ops@ttp.test"));
        await host.Services.GetRequiredService<AccreditedCertificates>().RefreshAsync();
        SoapReply suspended;
        using (var sleepyClient = host.CreateSoapClient(sleepy))
        {
            suspended = await SoapWire.PostAsync(sleepyClient, SoapWire.Request());
        }

        Assert.Equal(HttpStatusCode.InternalServerError, suspended.Status);
        suspended.AssertCleanFault("NotAccredited");
        Assert.Equal("Server", suspended.EnvelopeFaultCode);
        var record = Assert.Single(await SoapWire.KeyRequestRecordsAsync(host, "sleepy"));
        Assert.Equal("NotAccredited", record.Outcome);
        Assert.Contains(suspended.RequestId!, record.Details, StringComparison.OrdinalIgnoreCase);
        // A revoked TSM's certificate is no longer pinned: the TLS handshake fails, no HTTP exchange and no record.
        await SoapHandshakes.AssertRefusedAsync(host, gone);
        Assert.Empty(await SoapWire.KeyRequestRecordsAsync(host, "gone"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task RateLimit_BurstExhausted_RateLimitedAndSummarised(DatabaseProvider provider)
    {
        using var host = new PortalHost(new Dictionary<string, string>
        {
            ["Ttp:Soap:RateLimit:PermitsPerSecond"] = "0.01",
            ["Ttp:Soap:RateLimit:Burst"] = "2",
        }, provider);
        using var acme = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", acme, "A0000001");
        using var client = host.CreateSoapClient(acme);

        // No key set for A0000001: the first two answers are UnknownIssuer, but they spend the burst all the same.
        var first = await SoapWire.PostAsync(client, SoapWire.Request());
        var second = await SoapWire.PostAsync(client, SoapWire.Request());
        var third = await SoapWire.PostAsync(client, SoapWire.Request());

        Assert.Equal(
            [HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError],
            new[] { first.Status, second.Status, third.Status });
        first.AssertCleanFault("UnknownIssuer");
        second.AssertCleanFault("UnknownIssuer");
        third.AssertCleanFault("RateLimited");
        Assert.Equal("Server", third.EnvelopeFaultCode);
        var records = await SoapWire.KeyRequestRecordsAsync(host, "acme");
        Assert.Equal(["UnknownIssuer", "UnknownIssuer"], records.OrderBy(r => r.Sequence).Select(r => r.Outcome));

        // Beyond the rate: no record of its own (docs/DESIGN.md section 5), counted into acme's summary of that second.
        await host.Services.GetRequiredService<KeyRequestRefusalSummaries>().FlushAsync();
        var factory = host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<TtpDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var summary = Assert.Single(db.AuditEvents.Where(e => e.Action == Ttp.Domain.Audit.AuditRecord.RefusalsSummarisedAction && e.Actor == "tsm:acme"));
        Assert.Contains("\"codes\":{\"RateLimited\":1}", summary.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task DatabaseGone_ServiceUnavailable_NoKeyReleased(DatabaseProvider provider)
    {
        using var host = new PortalHost(database: provider);
        using var acme = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", acme, "A0000001");
        await host.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString(TdesKek));
        await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Convert.FromHexString(Master));
        using var client = host.CreateSoapClient(acme);
        var before = await SoapWire.PostAsync(client, SoapWire.Request());
        Assert.True(HttpStatusCode.OK == before.Status, before.Body);
        Assert.Equal(3, before.Keys.Count);

        await host.TakeDatabaseAwayAsync();
        var reply = await SoapWire.PostAsync(client, SoapWire.Request());

        Assert.True(HttpStatusCode.InternalServerError == reply.Status, $"{reply.Status}: {reply.Body}");
        reply.AssertCleanFault("ServiceUnavailable");
        Assert.Equal("Server", reply.EnvelopeFaultCode);
    }
}
