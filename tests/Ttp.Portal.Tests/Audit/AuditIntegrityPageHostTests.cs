using Ttp.Domain.Staff;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;

namespace Ttp.Portal.Tests.Audit;

/// <summary>
/// The integrity page on the running portal (Kestrel, TLS, SQLite, real sign-in): an access record changed with SQL by
/// another connection, as a database writer would, is named on the next page load.
/// </summary>
public sealed class AuditIntegrityPageHostTests
{
    [Fact]
    public async Task Get_TsmRateLimitRaisedInSql_PageNamesTheRejectedRecord()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        await host.SeedStaffAsync("auditor@ttp.test", [StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();
        await PortalHost.SignInAsync(browser, "auditor@ttp.test", null);
        var clean = await browser.GetPageAsync("/audit/integrity");
        Assert.Contains("data-testid=\"no-damage\"", clean.Html, StringComparison.Ordinal);

        Assert.Equal(1, await host.ExecuteSqlAsync("UPDATE tsms SET rate_limit_per_second = 9999 WHERE name = 'acme'"));
        var damaged = await browser.GetPageAsync("/audit/integrity");

        Assert.Contains("data-testid=\"damaged-list\"", damaged.Html, StringComparison.Ordinal);
        Assert.Contains("TSM &#x27;acme&#x27;", damaged.Html, StringComparison.Ordinal);
    }
}
