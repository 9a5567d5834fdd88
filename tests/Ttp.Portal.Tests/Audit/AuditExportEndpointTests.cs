using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Tests.Audit;

/// <summary>
/// The filtered exports on the running portal (Kestrel, TLS, SQLite, real sign-in): an Auditor downloads the matching
/// rows as CSV, a Security officer a JSONL run that verifies with the public key alone, each export audited; a malformed
/// filter is a plain 400 naming the field; an Operator and an anonymous visitor get nothing.
/// </summary>
public sealed class AuditExportEndpointTests
{
    [Fact]
    public async Task Get_AuditorCsvOfATsm_StreamsTheMatchingRowsAsAnAttachment()
    {
        using var host = await HostWithKeyRequestsAsync();
        using var browser = await SignedInAsync(host, "auditor@ttp.test", StaffRoles.Auditor);

        using var response = await browser.GetAsync("/audit/export/key-requests?format=csv&tsm=acme&outcome=ok");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches("^\"?ttp-key-requests-[0-9]{8}T[0-9]{6}Z\\.csv\"?$", response.Content.Headers.ContentDisposition?.FileName);
        Assert.True(response.Headers.TransferEncodingChunked, "streamed: chunked, no Content-Length");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sequence,occurred_at,stream,action,actor,subject,outcome,details,hash", lines[0]);
        Assert.Equal(2, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Contains(",KeyRequest,key-request,tsm:acme,", l, StringComparison.Ordinal));
        var audited = await LastExportRecordAsync(host);
        Assert.Equal("user:auditor@ttp.test", audited.Actor);
        Assert.Contains("\"selection\":\"key-requests\"", audited.Details, StringComparison.Ordinal);
        Assert.Contains("\"format\":\"Csv\",\"records\":2,\"matches\":2", audited.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SecurityOfficerJsonl_VerifiesWithThePublicKeyAlone()
    {
        using var host = await HostWithKeyRequestsAsync();
        using var browser = await SignedInAsync(host, "so@ttp.test", StaffRoles.SecurityOfficer);

        using var response = await browser.GetAsync("/audit/export/key-requests?format=jsonl&tsm=acme");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".jsonl", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var export = await response.Content.ReadAsStringAsync();
        using var key = AuditPublicKey.FromPem((await host.Services.GetRequiredService<AuditTrailVerifier>().PublicKeyAsync()).Pem);
        var verified = await AuditExportVerifier.VerifyAsync(new StringReader(export), key);
        Assert.True(verified.IsValid, verified.Problem);
        Assert.Equal(3, verified.RecordsMatched);
        var audited = await LastExportRecordAsync(host);
        Assert.Equal("user:so@ttp.test", audited.Actor);
        Assert.Contains($"\"firstSequence\":{verified.FirstSequence},\"lastSequence\":{verified.LastSequence}", audited.Details, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("format=csv&kdd=XYZ", "kdd: Expected hexadecimal")]
    [InlineData("format=csv&from=yesterday", "from: Expected an ISO 8601 UTC time")]
    [InlineData("format=xml", "format: expected csv or jsonl")]
    [InlineData("format=csv&kvn=300", "kvn: Expected 0 to 255")]
    [InlineData("format=csv&tms=acme", "tms: not a filter field")]
    public async Task Get_MalformedFilter_Answers400NamingTheField(string query, string expected)
    {
        using var host = new PortalHost();
        using var browser = await SignedInAsync(host, "auditor@ttp.test", StaffRoles.Auditor);

        using var response = await browser.GetAsync("/audit/export/key-requests?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith(expected, body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_StaffActionsOfAnActor_CsvHoldsOnlyTheirActions()
    {
        using var host = await HostWithKeyRequestsAsync();
        using var browser = await SignedInAsync(host, "auditor@ttp.test", StaffRoles.Auditor);
        await host.SeedStaffAsync("other@ttp.test", [StaffRoles.Operator], Account.TestTotp.Key);
        var staffActions = await StaffActionCountAsync(host, "user:auditor@ttp.test");

        using var response = await browser.GetAsync("/audit/export/actions?format=csv&actor=user:auditor@ttp.test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches("^\"?ttp-staff-actions-[0-9]{8}T[0-9]{6}Z\\.csv\"?$", response.Content.Headers.ContentDisposition?.FileName);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(staffActions > 0, "the sign-in is a staff action of the auditor");
        Assert.Equal(staffActions, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Contains(",StaffAction,", l, StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.Contains(",user:auditor@ttp.test,", l, StringComparison.Ordinal));
        Assert.Contains("\"selection\":\"staff-actions\"", (await LastExportRecordAsync(host)).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_StaffActionsWithAKeyRequestField_Answers400()
    {
        using var host = new PortalHost();
        using var browser = await SignedInAsync(host, "auditor@ttp.test", StaffRoles.Auditor);

        using var response = await browser.GetAsync("/audit/export/actions?format=csv&tsm=acme");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("tsm: not a filter field", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<int> StaffActionCountAsync(PortalHost host, string actor)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.CountAsync(e => e.Stream == AuditStream.StaffAction && e.Actor == actor);
    }

    [Fact]
    public async Task Get_Operator_RefusedWithNothingExported()
    {
        using var host = await HostWithKeyRequestsAsync();
        using var browser = await SignedInAsync(host, "op@ttp.test", StaffRoles.Operator);

        using var response = await browser.GetAsync("/audit/export/key-requests?format=csv");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain("key-request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await LastExportRecordOrNullAsync(host));
    }

    [Fact]
    public async Task Get_Anonymous_RedirectedToSignIn()
    {
        using var host = await HostWithKeyRequestsAsync();
        using var browser = host.CreateBrowser();

        using var response = await browser.GetAsync("/audit/export/key-requests?format=jsonl");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        Assert.Null(await LastExportRecordOrNullAsync(host));
    }

    // Key requests of acme (ok, ok, ScopeDenied) and globex through the portal's audit writer, with a staff action between.
    private static async Task<PortalHost> HostWithKeyRequestsAsync()
    {
        var host = new PortalHost();
        await host.SeedStaffAsync("someone@ttp.test", [StaffRoles.Administrator]);
        var writer = host.Services.GetRequiredService<AuditWriter>();
        (string Tsm, string Outcome)[] requests = [("acme", "ok"), ("globex", "ok"), ("acme", "ScopeDenied"), ("acme", "ok")];
        foreach (var (tsm, outcome) in requests)
        {
            await writer.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm(tsm), "issuer-key:A0000001/1", outcome,
                new { RequestId = Guid.NewGuid(), Tsm = tsm, Iin = "A0000001", Kdd = "00003266201710200001", Kvn = 1, KekIndex = 1, Outcome = outcome }));
        }

        await host.Services.GetRequiredService<AuditAnchor>().FlushAsync();
        return host;
    }

    private static async Task<Account.PortalBrowser> SignedInAsync(PortalHost host, string email, string role)
    {
        // Every role but Auditor signs in with an authenticator.
        var key = role == StaffRoles.Auditor ? null : Account.TestTotp.Key;
        await host.SeedStaffAsync(email, [role], key);
        var browser = host.CreateBrowser();
        var landed = await PortalHost.SignInAsync(browser, email, key);
        Assert.False(landed.Path.StartsWith("/account/", StringComparison.Ordinal), $"{email} not signed in: on {landed.Path}");
        return browser;
    }

    private static async Task<AuditEvent> LastExportRecordAsync(PortalHost host) =>
        await LastExportRecordOrNullAsync(host) ?? throw new InvalidOperationException("no audit.exported record");

    private static async Task<AuditEvent?> LastExportRecordOrNullAsync(PortalHost host)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Action == "audit.exported").OrderByDescending(e => e.Sequence).FirstOrDefaultAsync();
    }
}
