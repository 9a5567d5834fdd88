using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Ttp.Domain;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Tests.Account;

/// <summary>
/// The enrolment page of a staff invitation on the real portal: the invitee sets their own password and enrols their
/// authenticator; afterwards neither the authenticator secret nor a recovery code is in the database in clear, and the
/// link's token is in no log line (request logging on). Dead links get their reason, never an error page.
/// </summary>
public sealed partial class EnrolTests
{
    private const string Admin = "admin@ttp.test";
    private const string Invitee = "invitee@ttp.test";
    private const string InviteePassword = "Invitee-Own-Choice-5";

    [Fact]
    public async Task Enrol_InvitationLink_PasswordAndAuthenticatorSetNothingInClearNothingLogged()
    {
        // Request logging on, so that a token in a request line would be seen.
        using var host = new PortalHost(new Dictionary<string, string> { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information" });
        var issued = await InviteAsync(host, Invitee, [StaffRoles.Operator, StaffRoles.Auditor]);
        var link = issued.EnrolmentLinkOn(host.BaseAddress);
        using var browser = host.CreateBrowser();

        var open = await browser.GetPageAsync(EnrolmentLink.PagePath);
        Assert.Contains("data-testid=\"enrol-open\"", open.Html, StringComparison.Ordinal);
        Assert.Contains("src=\"assets/enrol.js\"", open.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/assets/enrol.js")).StatusCode);
        var invited = await browser.SubmitAsync(EnrolmentLink.PagePath, open, Fields(("Link.Value", link.AbsoluteUri)));
        Assert.Contains($"data-testid=\"enrol-email\">{Invitee}<", invited.Html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"enrol-roles\">Auditor, Operator<", invited.Html, StringComparison.Ordinal);
        var enrolment = await browser.SubmitAsync(EnrolmentLink.PagePath, invited, Fields(
            ("Input.Token", PortalBrowser.Hidden(invited.Html, "Input.Token")!),
            ("Input.Password", InviteePassword),
            ("Input.ConfirmPassword", InviteePassword)));
        Assert.Equal("/account/enrol-authenticator", enrolment.Path);
        var key = KeyShownOn(enrolment.Html);
        var enrolled = await browser.SubmitAsync(enrolment.Path, enrolment, Fields(("Input.Code", TestTotp.Code(key, await TestTotp.StableStepAsync()))));
        var codes = RecoveryCode().Matches(enrolled.Html).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(10, codes.Count);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetPageAsync("/")).Status);
        var stored = await host.StoredTextAsync();
        var secret = key.Replace(" ", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(secret.ToUpperInvariant(), stored, StringComparison.Ordinal);
        Assert.All(codes, c =>
        {
            Assert.DoesNotContain(c, stored, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(c.Replace("-", string.Empty, StringComparison.Ordinal), stored, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Contains("staff_authenticator_keys|", stored, StringComparison.Ordinal);
        Assert.Matches("AspNetUserTokens\\|[^\\n]*\\|name=RecoveryCodes\\|value=sha256:", stored);
        Assert.DoesNotContain(issued.Token, stored, StringComparison.Ordinal);
        var log = string.Join('\n', host.Log.Lines.Select(l => l.Message));
        Assert.Contains("POST https://", log, StringComparison.Ordinal);
        Assert.Contains(EnrolmentLink.PagePath, log, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Token, log, StringComparison.Ordinal);
        Assert.DoesNotContain(InviteePassword, log, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, log, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Enrol_DeadOrUnknownLink_ReasonShownNeverAnErrorPage()
    {
        using var host = new PortalHost();
        var used = await InviteAsync(host, "used@ttp.test", [StaffRoles.Operator]);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StaffInvitationService>().RedeemAsync(used.Token, InviteePassword);
        }

        var revoked = await InviteAsync(host, "revoked@ttp.test", [StaffRoles.Operator]);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StaffInvitationService>().RevokeAsync(revoked.Invitation.Id, Actor.Staff(Admin));
        }

        var expired = await InviteAsync(host, "expired@ttp.test", [StaffRoles.Operator], new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromHours(73)));
        (string Token, string Reason)[] links =
        [
            (used.Token, "already used"),
            (revoked.Token, "withdrawn"),
            (expired.Token, "expired on"),
            (OneTimeToken.Create(out _), "not known"),
            ("%%% not a link", "not known"),
        ];
        using var browser = host.CreateBrowser();

        foreach (var (token, reason) in links)
        {
            var opened = await browser.SubmitAsync(EnrolmentLink.PagePath, await browser.GetPageAsync(EnrolmentLink.PagePath), Fields(("Link.Value", token)));

            // A password posted with a dead token (a second tab, a link that died meanwhile) gets the same answer.
            var posted = await browser.SubmitAsync(EnrolmentLink.PagePath, await browser.GetPageAsync(EnrolmentLink.PagePath), Fields(
                ("_handler", "enrol-password"), ("Input.Token", token), ("Input.Password", InviteePassword), ("Input.ConfirmPassword", InviteePassword)));

            foreach (var page in new[] { opened, posted })
            {
                Assert.Equal(HttpStatusCode.OK, page.Status);
                Assert.Contains("data-testid=\"enrol-invalid\"", page.Html, StringComparison.Ordinal);
                Assert.Contains(reason, page.Html, StringComparison.Ordinal);
                Assert.DoesNotContain("Input.Password", page.Html, StringComparison.Ordinal);
            }
        }

        await using var check = host.Services.CreateAsyncScope();
        var users = check.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        Assert.Null(await users.FindByEmailAsync("revoked@ttp.test"));
        Assert.Null(await users.FindByEmailAsync("expired@ttp.test"));
        Assert.True(await users.CheckPasswordAsync((await users.FindByEmailAsync("used@ttp.test"))!, InviteePassword));
    }

    [Fact]
    public async Task Enrol_PasswordAgainstPolicyOrMismatched_MessageShownAndLinkStillUsable()
    {
        using var host = new PortalHost();
        var issued = await InviteAsync(host, Invitee, [StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();
        var invited = await browser.SubmitAsync(EnrolmentLink.PagePath, await browser.GetPageAsync(EnrolmentLink.PagePath), Fields(("Link.Value", issued.Token)));

        var weak = await SubmitPasswordAsync(browser, invited, "alllowercaseletters", "alllowercaseletters");
        var mismatched = await SubmitPasswordAsync(browser, weak, InviteePassword, InviteePassword + "x");
        var done = await SubmitPasswordAsync(browser, mismatched, InviteePassword, InviteePassword);

        Assert.Contains("data-testid=\"enrol-error\"", weak.Html, StringComparison.Ordinal);
        Assert.Contains("upper-case", weak.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("The two passwords differ.", mismatched.Html, StringComparison.Ordinal);
        Assert.Equal("/account/enrol-authenticator", done.Path);
        Assert.Contains("data-testid=\"authenticator-key\"", done.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrol_SignedInStaff_ToldToSignOutAndNothingCreated()
    {
        using var host = new PortalHost();
        var issued = await InviteAsync(host, Invitee, [StaffRoles.Operator]);
        await host.SeedStaffAsync("auditor@ttp.test", [StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();
        await PortalHost.SignInAsync(browser, "auditor@ttp.test");

        var page = await browser.GetPageAsync(EnrolmentLink.PagePath);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("data-testid=\"enrol-signed-in\"", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Link.Value", page.Html, StringComparison.Ordinal);
        await using var scope = host.Services.CreateAsyncScope();
        Assert.Equal(Invitee, (await scope.ServiceProvider.GetRequiredService<StaffInvitationService>().LookUpAsync(issued.Token)).Email);
    }

    // An Administrator (seeded once) invites through the domain; with a clock, the invitation is issued at that time.
    private static async Task<IssuedInvitation> InviteAsync(PortalHost host, string email, string[] roles, TimeProvider? at = null)
    {
        host.StartServer();
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<StaffUser>>();
        if (await users.FindByEmailAsync(Admin) is null)
        {
            await host.SeedStaffAsync(Admin, [StaffRoles.Administrator], TestTotp.Key);
        }

        var invitations = at is null
            ? services.GetRequiredService<StaffInvitationService>()
            : new StaffInvitationService(
                services.GetRequiredService<StaffService>(), users, services.GetRequiredService<AuditedTransaction>(),
                services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<TtpDbContext>>(),
                services.GetRequiredService<RecordKeyHolder>(), services.GetRequiredService<IntegrityAlarm>(), at);
        return await invitations.InviteAsync(email, roles, Actor.Staff(Admin));
    }

    private static Task<PortalBrowser.Page> SubmitPasswordAsync(PortalBrowser browser, PortalBrowser.Page page, string password, string again) =>
        browser.SubmitAsync(EnrolmentLink.PagePath, page, Fields(
            ("Input.Token", PortalBrowser.Hidden(page.Html, "Input.Token") ?? throw new InvalidOperationException("no token on the page")),
            ("Input.Password", password),
            ("Input.ConfirmPassword", again)));

    private static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal);

    private static string KeyShownOn(string html)
    {
        var start = html.IndexOf("data-testid=\"authenticator-key\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "the enrolment page shows no key");
        start = html.IndexOf('>', start) + 1;
        return html[start..html.IndexOf('<', start)];
    }

    [GeneratedRegex("<li>([^<]+)</li>")]
    private static partial Regex RecoveryCode();
}
