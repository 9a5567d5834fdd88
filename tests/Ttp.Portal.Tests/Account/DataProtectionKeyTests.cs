using System.Net;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Tests.Account;

/// <summary>
/// The portal's data-protection keys (they protect session cookies and antiforgery tokens) are sealed under the LMK on
/// disk, and a restarted portal opens them: a session survives the restart.
/// </summary>
public sealed class DataProtectionKeyTests
{
    private const string Email = "operator@ttp.test";

    [Fact]
    public async Task KeyRing_OnDisk_SealedUnderLmkAndOpenedAfterRestart()
    {
        // A data directory of the test's own: each PortalHost removes its temporary one when disposed.
        var dataDirectory = Directory.CreateTempSubdirectory("ttp-dp-").FullName;
        var settings = new Dictionary<string, string> { ["Ttp:DataDirectory"] = dataDirectory };
        CookieCollection cookies;
        using (var first = new PortalHost(settings))
        {
            await first.SeedStaffAsync(Email, [StaffRoles.Operator], TestTotp.Key);
            using var browser = first.CreateBrowser();
            var signedIn = await PortalHost.SignInAsync(browser, Email, TestTotp.Key);
            Assert.Equal("/", signedIn.Path);
            cookies = browser.Cookies.GetAllCookies();
        }

        var ring = Directory.GetFiles(Path.Combine(dataDirectory, "dataprotection-keys"), "*.xml");
        Assert.NotEmpty(ring);
        foreach (var file in ring)
        {
            var xml = await File.ReadAllTextAsync(file);
            Assert.Contains("<ttpLmkSealed", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        }

        // The same installation started again: the sealed key ring must open for the session cookie to be accepted.
        using var second = new PortalHost(settings);
        using var again = second.CreateBrowser();
        again.Cookies.Add(cookies);

        var page = await again.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("/", page.Path);
        Assert.Contains(Email, page.Html, StringComparison.Ordinal);
        second.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }
}
