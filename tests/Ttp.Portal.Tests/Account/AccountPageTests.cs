using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Tests.Account;

/// <summary>
/// The own-account pages against the real portal: roles in words and this session, the password change (the old password
/// refused afterwards, a wrong current password refused on its field, no password written back), the password change
/// required after <c>ttpctl user add</c>, new recovery codes accepted in any case and without the dash, signing out
/// everywhere, and what the enrolment page tells an Auditor.
/// </summary>
public sealed partial class AccountPageTests
{
    private const string Operator = "operator@ttp.test";
    private const string Auditor = "auditor@ttp.test";
    private const string NewPassword = "Another-Staple-Horse-7";

    [Fact]
    public async Task Get_AccountPage_RolesInWordsAndThisSessionsSignInTime()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator, StaffRoles.SecurityOfficer], TestTotp.Key);
        using var browser = host.CreateBrowser();
        await PortalHost.SignInAsync(browser, Operator, TestTotp.Key);

        var page = await browser.GetPageAsync("/account");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("/account", page.Path);
        Assert.Contains("<li title=\"SecurityOfficer\">Security officer</li>", page.Html, StringComparison.Ordinal);
        Assert.Contains("<li title=\"Operator\">Operator</li>", page.Html, StringComparison.Ordinal);
        Assert.Matches(@"signed in \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC, from 127\.0\.0\.1", page.Html);
        Assert.Contains("Authenticator app enrolled; 0 recovery codes left", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_RightCurrentPassword_NewOneWorksOldOneRefusedAndAudited()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Auditor, [StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();
        await PortalHost.SignInAsync(browser, Auditor);

        var done = await ChangeAsync(browser, PortalHost.StaffPassword, NewPassword);

        Assert.Equal("/account?Done=password", done.Path);
        Assert.Contains("data-testid=\"account-done\"", done.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        using var other = host.CreateBrowser();
        var old = await PortalHost.SignInAsync(other, Auditor);
        Assert.StartsWith("/account/login", old.Path, StringComparison.Ordinal);
        Assert.Contains("is not right", old.Html, StringComparison.Ordinal);
        Assert.Equal("/", (await PortalHost.SignInAsync(other, Auditor, password: NewPassword)).Path);
        var records = await RecordsAsync(host, Auditor);
        var changed = Assert.Single(records, e => e.Action == StaffAccountService.PasswordChangedAction);
        Assert.Equal("user:" + Auditor, changed.Actor);
        Assert.All(records, e => Assert.DoesNotContain(NewPassword, e.Details, StringComparison.Ordinal));
        Assert.All(host.Log.Lines, l => Assert.DoesNotContain(NewPassword, l.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_RefusedOnTheFieldNothingWrittenBackAndAudited()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Auditor, [StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();
        await PortalHost.SignInAsync(browser, Auditor);

        var page = await ChangeAsync(browser, "Not-My-Password-1", NewPassword);

        Assert.Equal("/account/password", page.Path);
        Assert.Matches(@"<div id=""current-error""><div class=""ttp-account-error[^""]*"">That is not your current password\.</div>", page.Html);
        AssertNoPasswordWrittenBack(page.Html, "Not-My-Password-1", NewPassword);
        var refused = Assert.Single(await RecordsAsync(host, Auditor), e => e.Action == StaffAccountService.PasswordChangeRefusedAction);
        Assert.Equal("denied", refused.Outcome);
        Assert.Equal("/", (await PortalHost.SignInAsync(host.CreateBrowser(), Auditor)).Path);
    }

    [Fact]
    public async Task ChangePassword_NewPasswordBreaksTheRules_RulesStatedAndTheMissingOnesOnTheField()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Auditor, [StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();
        await PortalHost.SignInAsync(browser, Auditor);

        var form = await browser.GetPageAsync("/account/password");
        var page = await ChangeAsync(browser, PortalHost.StaffPassword, "aaaaaaaaaaaa");

        Assert.Contains("At least 12 characters, with a lower-case letter, an upper-case letter, a digit and a symbol", form.Html, StringComparison.Ordinal);
        Assert.Contains("The password needs an upper-case letter, a digit and a symbol", page.Html, StringComparison.Ordinal);
        Assert.Contains("<div id=\"new-error\"><div class=\"ttp-account-error", page.Html, StringComparison.Ordinal);
        AssertNoPasswordWrittenBack(page.Html, PortalHost.StaffPassword, "aaaaaaaaaaaa");
        Assert.DoesNotContain(await RecordsAsync(host, Auditor), e => e.Action == StaffAccountService.PasswordChangedAction);
    }

    [Fact]
    public async Task SignIn_AccountAddedWithPasswordChangeRequired_HeldAtThePasswordPageUntilChanged()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Auditor, [StaffRoles.Auditor]);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StaffService>()
                .AddAsync("new.auditor@ttp.test", [StaffRoles.Auditor], PortalHost.StaffPassword, Ttp.Domain.Actor.Cli("root"), passwordChangeRequired: true);
        }

        using var browser = host.CreateBrowser();

        var signedIn = await PortalHost.SignInAsync(browser, "new.auditor@ttp.test");
        var home = await browser.GetAsync("/");
        var account = await browser.GetAsync("/account");
        var circuit = await browser.GetAsync("/_blazor/negotiate?negotiateVersion=1");

        Assert.Equal("/account/password", signedIn.Path);
        Assert.Contains("data-testid=\"password-change-required\"", signedIn.Html, StringComparison.Ordinal);
        Assert.Equal("/account/password", home.Headers.Location!.OriginalString);
        Assert.Equal("/account/password", account.Headers.Location!.OriginalString);
        Assert.NotEqual(HttpStatusCode.OK, circuit.StatusCode);

        var done = await ChangeAsync(browser, PortalHost.StaffPassword, NewPassword);

        Assert.Equal("/", done.Path);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.Contains("\"wasRequired\":true", Assert.Single(await RecordsAsync(host, "new.auditor@ttp.test"), e => e.Action == StaffAccountService.PasswordChangedAction).Details, StringComparison.Ordinal);
        using var again = host.CreateBrowser();
        Assert.Equal("/", (await PortalHost.SignInAsync(again, "new.auditor@ttp.test", password: NewPassword)).Path);
    }

    [Fact]
    public async Task RecoveryCodes_NewOnesTypedInLowerCaseWithoutTheDash_AcceptedOnceOldOnesRefused()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator], TestTotp.Key);
        using var browser = host.CreateBrowser();
        await PortalHost.SignInAsync(browser, Operator, TestTotp.Key);
        var form = await browser.GetPageAsync("/account/recovery-codes");
        using var regenerated = await browser.PostAsync("/account/recovery-codes", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PortalBrowser.Hidden(form.Html, "__RequestVerificationToken")!,
            ["_handler"] = PortalBrowser.Hidden(form.Html, "_handler")!,
        }));
        Assert.True(regenerated.Headers.CacheControl?.NoStore);
        var first = CodesOn(await regenerated.Content.ReadAsStringAsync());

        var page = await browser.FillAsync("/account/recovery-codes", new Dictionary<string, string>());
        var codes = CodesOn(page.Html);

        Assert.Equal(10, codes.Count);
        Assert.All(codes, c => Assert.Matches("^[23456789BCDFGHJKMNPQRTVWXY]{5}-[23456789BCDFGHJKMNPQRTVWXY]{5}$", c));
        Assert.Contains("download=\"ttp-recovery-codes.txt\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"recovery-codes-saved\"", page.Html, StringComparison.Ordinal);
        var typed = codes[0].Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        Assert.Equal("/", (await RecoverAsync(host, typed)).Path);
        Assert.StartsWith("/account/login-with-recovery-code", (await RecoverAsync(host, codes[0])).Path, StringComparison.Ordinal);
        Assert.StartsWith("/account/login-with-recovery-code", (await RecoverAsync(host, first[1])).Path, StringComparison.Ordinal);
        Assert.Equal("/", (await RecoverAsync(host, " " + codes[1].ToLowerInvariant().Insert(3, " ") + " ")).Path);
        var records = await RecordsAsync(host, Operator);
        Assert.Equal(2, records.Count(e => e.Action == StaffAccountService.RecoveryCodesRegeneratedAction));
        Assert.All(records, e => Assert.DoesNotContain(codes[0], e.Details, StringComparison.OrdinalIgnoreCase));
        Assert.All(records, e => Assert.DoesNotContain(typed, e.Details, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SignOutEverywhere_SignedIn_NewSecurityStampThisSessionEndedAndAudited()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Auditor, [StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();
        await PortalHost.SignInAsync(browser, Auditor);
        var stampBefore = await StampAsync(host, Auditor);

        var page = await browser.FillAsync("/account", new Dictionary<string, string>());

        Assert.StartsWith("/account/login", page.Path, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"signed-out-everywhere\"", page.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
        Assert.NotEqual(stampBefore, await StampAsync(host, Auditor));
        var record = Assert.Single(await RecordsAsync(host, Auditor), e => e.Action == StaffAccountService.SignedOutEverywhereAction);
        Assert.Equal("user:" + Auditor, record.Actor);
    }

    [Fact]
    public async Task EnrolAuthenticator_AuditorOnly_ToldItIsOptionalNotRequired()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Auditor, [StaffRoles.Auditor]);
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator]);
        using var auditor = host.CreateBrowser();
        using var operatorBrowser = host.CreateBrowser();
        await PortalHost.SignInAsync(auditor, Auditor);
        await PortalHost.SignInAsync(operatorBrowser, Operator);

        var auditorPage = await auditor.GetPageAsync("/account/enrol-authenticator");
        var operatorPage = await operatorBrowser.GetPageAsync("/account/enrol-authenticator");

        Assert.DoesNotContain("requires a second factor", auditorPage.Html, StringComparison.Ordinal);
        Assert.Contains("does not require a second factor", auditorPage.Html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"enrol-skip\"", auditorPage.Html, StringComparison.Ordinal);
        Assert.Contains("Your role requires a second factor", operatorPage.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"enrol-skip\"", operatorPage.Html, StringComparison.Ordinal);
    }

    private static async Task<PortalBrowser.Page> ChangeAsync(PortalBrowser browser, string current, string next) =>
        await browser.FillAsync("/account/password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmPassword"] = next,
        });

    /// <summary>Signs <see cref="Operator"/> in with the password and then <paramref name="code"/> on the recovery-code page, in a fresh browser.</summary>
    private static async Task<PortalBrowser.Page> RecoverAsync(PortalHost host, string code)
    {
        using var browser = host.CreateBrowser();
        var page = await PortalHost.SignInAsync(browser, Operator);
        Assert.StartsWith("/account/login-with-2fa", page.Path, StringComparison.Ordinal);
        return await browser.FillAsync("/account/login-with-recovery-code", new Dictionary<string, string> { ["Input.Code"] = code });
    }

    private static List<string> CodesOn(string html)
    {
        var list = html[html.IndexOf("data-testid=\"recovery-codes\"", StringComparison.Ordinal)..];
        list = list[..list.IndexOf("</ul>", StringComparison.Ordinal)];
        return [.. CodeItem().Matches(list).Select(m => m.Groups[1].Value)];
    }

    private static void AssertNoPasswordWrittenBack(string html, params string[] passwords)
    {
        foreach (var password in passwords)
        {
            Assert.DoesNotContain(password, html, StringComparison.Ordinal);
        }
    }

    private static async Task<string?> StampAsync(PortalHost host, string email)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StaffUser>>();
        return (await users.FindByEmailAsync(email))!.SecurityStamp;
    }

    private static async Task<IReadOnlyList<AuditEvent>> RecordsAsync(PortalHost host, string email) =>
        await host.Services.GetRequiredService<AuditQueries>().ForSubjectAsync("user:" + email);

    [GeneratedRegex("<li>([^<]+)</li>")]
    private static partial Regex CodeItem();
}
