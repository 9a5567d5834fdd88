using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Tests.Account;

/// <summary>
/// Staff sign-in against the real portal (Kestrel, TLS, cookies, antiforgery): password then TOTP, lockout, single-use
/// codes, the enrolment gate for every role but Auditor, disabled accounts.
/// </summary>
public sealed class SignInTests
{
    private const string Operator = "operator@ttp.test";

    [Fact]
    public async Task Get_ProtectedPageAnonymous_RedirectsToLogin()
    {
        using var host = new PortalHost();
        using var browser = host.CreateBrowser();

        var response = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("ReturnUrl=%2F", response.Headers.Location!.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_LoginPageAnonymous_StaticWithAntiforgeryAndItsAssetsServed()
    {
        using var host = new PortalHost();
        using var browser = host.CreateBrowser();

        var login = await browser.GetPageAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, login.Status);
        Assert.NotNull(PortalBrowser.Hidden(login.Html, "__RequestVerificationToken"));
        Assert.DoesNotContain("<!--Blazor:{", login.Html, StringComparison.Ordinal);
        var assets = System.Text.RegularExpressions.Regex.Matches(login.Html, "(?:href|src)=\"([^\"]+\\.(?:css|js))\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(assets, a => a.Contains("MudBlazor", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/" + asset.TrimStart('/'))).StatusCode);
        }
    }

    [Fact]
    public async Task SignIn_PasswordThenTotp_ReachesHomePage()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator], TestTotp.Key);
        using var browser = host.CreateBrowser();

        var afterPassword = await browser.FillAsync("/account/login", Form(("Input.Email", Operator), ("Input.Password", PortalHost.StaffPassword)));
        Assert.StartsWith("/account/login-with-2fa", afterPassword.Path, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
        var code = TestTotp.Code(TestTotp.Key, await TestTotp.StableStepAsync());
        var home = await browser.SubmitAsync(afterPassword.Path, afterPassword, Form(("Input.Code", code)));

        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Equal("/", home.Path);
        Assert.Contains("TTP key server", home.Html, StringComparison.Ordinal);
        var audit = await host.Services.GetRequiredService<Ttp.Domain.Audit.AuditQueries>().ForSubjectAsync("user:" + Operator);
        Assert.Contains(audit, e => e.Action == "user.signed-in" && e.Actor == "user:" + Operator && e.Details.Contains("password-totp", StringComparison.Ordinal));
        Assert.All(audit, e => Assert.DoesNotContain(code, e.Details, StringComparison.Ordinal));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            Assert.IsType<Ttp.Portal.Security.StaffAuthenticationStateProvider>(
                scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>());
        }
        Assert.DoesNotContain(code, string.Join('\n', host.Log.Lines.Select(l => l.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksAccountEvenForTheRightPassword()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator], TestTotp.Key);
        using var browser = host.CreateBrowser();

        PortalBrowser.Page page = null!;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            page = await PortalHost.SignInAsync(browser, Operator, password: "Wrong-Password-" + attempt);
            if (attempt < 5)
            {
                Assert.Contains("is not right", page.Html, StringComparison.Ordinal);
            }
        }

        Assert.Contains("locked after too many failed attempts until", page.Html, StringComparison.Ordinal);
        var right = await PortalHost.SignInAsync(browser, Operator, TestTotp.Key);
        Assert.StartsWith("/account/login", right.Path, StringComparison.Ordinal);
        Assert.DoesNotContain("login-with-2fa", right.Path, StringComparison.Ordinal);
        Assert.Contains("locked after too many failed attempts until", right.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_TotpCodeUsedTwice_SecondUseRefused()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator], TestTotp.Key);
        var step = await TestTotp.StableStepAsync();
        using var first = host.CreateBrowser();
        using var second = host.CreateBrowser();

        var accepted = await PortalHost.SignInAsync(first, Operator, TestTotp.Key, step: step);
        var replayed = await PortalHost.SignInAsync(second, Operator, TestTotp.Key, step: step);

        Assert.Equal("/", accepted.Path);
        Assert.StartsWith("/account/login-with-2fa", replayed.Path, StringComparison.Ordinal);
        Assert.Contains("already used", replayed.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_TotpCodeFromThreeStepsAgo_Refused()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator], TestTotp.Key);
        using var browser = host.CreateBrowser();

        var stale = await PortalHost.SignInAsync(browser, Operator, TestTotp.Key, step: await TestTotp.StableStepAsync() - 3);

        Assert.StartsWith("/account/login-with-2fa", stale.Path, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"login-error\"", stale.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);

        // The same browser may still finish with the current code: the stale one was refused, not the sign-in.
        var current = await browser.SubmitAsync(stale.Path, stale, Form(("Input.Code", TestTotp.Code(TestTotp.Key, await TestTotp.StableStepAsync()))));
        Assert.Equal("/", current.Path);
    }

    [Fact]
    public async Task SignIn_NonAuditorWithoutAuthenticator_SentToEnrolmentUntilEnrolled()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator, StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();

        var signedIn = await PortalHost.SignInAsync(browser, Operator);
        var home = await browser.GetAsync("/");
        var circuit = await browser.GetAsync("/_blazor/negotiate?negotiateVersion=1");

        Assert.Equal("/account/enrol-authenticator", signedIn.Path);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/account/enrol-authenticator", home.Headers.Location!.OriginalString);
        Assert.NotEqual(HttpStatusCode.OK, circuit.StatusCode);

        var enrol = await browser.GetPageAsync("/account/enrol-authenticator");
        var key = KeyShownOn(enrol.Html);
        var enrolled = await browser.SubmitAsync(enrol.Path, enrol, Form(("Input.Code", TestTotp.Code(key, await TestTotp.StableStepAsync()))));

        Assert.Contains("data-testid=\"recovery-codes\"", enrolled.Html, StringComparison.Ordinal);
        Assert.Equal(10, enrolled.Html.Split("<li>").Length - 1);
        var after = await browser.GetPageAsync("/");
        Assert.Equal("/", after.Path);
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.DoesNotContain(key.Replace(" ", string.Empty, StringComparison.Ordinal), string.Join('\n', host.Log.Lines.Select(l => l.Message)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_AuditorWithoutAuthenticator_ReachesHomePage()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync("auditor@ttp.test", [StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();

        var page = await PortalHost.SignInAsync(browser, "auditor@ttp.test");

        Assert.Equal("/", page.Path);
        Assert.Equal(HttpStatusCode.OK, page.Status);
    }

    [Fact]
    public async Task SignIn_DisabledAccount_Refused()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync("admin@ttp.test", [StaffRoles.Administrator]);
        await host.SeedStaffAsync("auditor@ttp.test", [StaffRoles.Auditor]);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StaffService>().DisableAsync("auditor@ttp.test", Ttp.Domain.Actor.Staff("admin@ttp.test"));
        }

        using var browser = host.CreateBrowser();

        var page = await PortalHost.SignInAsync(browser, "auditor@ttp.test");

        Assert.StartsWith("/account/login", page.Path, StringComparison.Ordinal);
        Assert.Contains("is not right, or the account is disabled", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_PostWithAntiforgeryToken_EndsSessionAndWithoutTokenRefused()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync("auditor@ttp.test", [StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();
        await PortalHost.SignInAsync(browser, "auditor@ttp.test");
        var form = await browser.GetPageAsync("/account/login");

        using (var forged = new FormUrlEncodedContent(Form(("returnUrl", ""))))
        {
            var refused = await browser.PostAsync("/account/logout", forged);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        var signedOut = await browser.SubmitAsync("/account/logout", form, Form(("returnUrl", "")));

        Assert.StartsWith("/account/login", signedOut.Path, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Get_StaffPageAsOperator_AccessDenied()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator], TestTotp.Key);
        using var browser = host.CreateBrowser();
        await PortalHost.SignInAsync(browser, Operator, TestTotp.Key);

        var page = await browser.GetPageAsync("/staff");

        Assert.StartsWith("/account/access-denied", page.Path, StringComparison.Ordinal);
        Assert.Contains("Your role does not allow this page", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_StaffPageAsAdministrator_ListsStaff()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync("admin@ttp.test", [StaffRoles.Administrator], TestTotp.Key);
        using var browser = host.CreateBrowser();
        await PortalHost.SignInAsync(browser, "admin@ttp.test", TestTotp.Key);

        var page = await browser.GetPageAsync("/staff");

        Assert.Equal("/staff", page.Path);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("admin@ttp.test", page.Html, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Form(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value);

    private static string KeyShownOn(string html)
    {
        var start = html.IndexOf("data-testid=\"authenticator-key\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "the enrolment page shows no key");
        start = html.IndexOf('>', start) + 1;
        return html[start..html.IndexOf('<', start)];
    }
}
