using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Tests.Account;

/// <summary>The first-run setup link: logged once, creates the first Administrator once, then refuses.</summary>
public sealed partial class SetupTests
{
    [Fact]
    public async Task Setup_LinkFromLog_CreatesFirstAdministratorOnceThenRefuses()
    {
        using var host = new PortalHost();
        using var browser = host.CreateBrowser();
        var link = SetupLink(host);
        var tokenFile = Path.Combine(host.DataDirectory, "setup-token.sha256");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        var token = link.Query.TrimStart('?').Split('=', 2)[1];
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(tokenFile), StringComparison.Ordinal);

        var created = await browser.FillAsync(link.PathAndQuery, new Dictionary<string, string>
        {
            ["Input.Email"] = "first.admin@ttp.test",
            ["Input.Password"] = PortalHost.StaffPassword,
            ["Input.ConfirmPassword"] = PortalHost.StaffPassword,
        });

        Assert.StartsWith("/account/login", created.Path, StringComparison.Ordinal);
        Assert.False(File.Exists(tokenFile));
        var again = await browser.GetPageAsync(link.PathAndQuery);
        Assert.Contains("Setup is closed", again.Html, StringComparison.Ordinal);
        var signedIn = await PortalHost.SignInAsync(browser, "first.admin@ttp.test");
        Assert.Equal("/account/enrol-authenticator", signedIn.Path);
        await using var scope = host.Services.CreateAsyncScope();
        var staff = await scope.ServiceProvider.GetRequiredService<StaffService>().ListAsync();
        Assert.Equal([StaffRoles.Administrator], Assert.Single(staff).Roles);
    }

    [Fact]
    public async Task Setup_WrongToken_RefusedWithoutCreatingAnyone()
    {
        using var host = new PortalHost();
        using var browser = host.CreateBrowser();
        _ = SetupLink(host);

        var page = await browser.GetPageAsync("/setup?token=" + new string('A', 43));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("This setup link is not valid", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Input.Password", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_AdministratorCreatedElsewhere_LoggedLinkRefused()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync("admin@ttp.test", [StaffRoles.Administrator]);
        using var browser = host.CreateBrowser();

        var page = await browser.GetPageAsync(SetupLink(host).PathAndQuery);

        Assert.Contains("Setup is closed", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Input.Password", page.Html, StringComparison.Ordinal);
    }

    private static Uri SetupLink(PortalHost host)
    {
        var line = Assert.Single(host.Log.Lines, l => l.Message.Contains("/setup?token=", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, line.Level);
        var url = Link().Match(line.Message).Value;
        var uri = new Uri(url);
        Assert.Equal(host.BaseAddress.Port, uri.Port);
        return uri;
    }

    [GeneratedRegex(@"https://\S+/setup\?token=[A-Za-z0-9_-]+")]
    private static partial Regex Link();
}
