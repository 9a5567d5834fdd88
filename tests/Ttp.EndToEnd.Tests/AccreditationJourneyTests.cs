using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ttp.Domain.Audit;
using Ttp.Domain.KeyRequests;
using Ttp.Portal.Tests;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// The accreditation journey in a real browser against the real portal (Kestrel, TLS, SQLite): first-run setup, an
/// Administrator with TOTP who invites two Operators and an Auditor (each gets a one-time enrolment link and sets their
/// own password and authenticator: the Administrator never types one), four-eyes approval of a TSM, then that TSM's
/// certificate opens the SOAP endpoint; an Auditor cannot reach accreditation. A screenshot of each step is kept (see
/// <see cref="Browser"/>); none is taken while a password, an authenticator key, a recovery code or an enrolment link is
/// on screen (the link is masked).
/// </summary>
public sealed partial class AccreditationJourneyTests
{
    private const string Password = "Correct-Horse-Battery-9";
    private const string Iin = "A0000001";

    [Fact]
    public async Task Journey_SetupAdminInvitesStaffWhoEnrolThemselvesFourEyesApproval_TsmCertificateAcceptedBySoap()
    {
        // Request logging on, so that an enrolment token in a request line would be seen in the log.
        using var host = new PortalHost(new Dictionary<string, string> { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information" });
        host.StartServer();
        await using var browser = await Browser.LaunchAsync("accreditation");
        var setupLink = SetupLinkPattern().Match(string.Join('\n', host.Log.Lines.Select(l => l.Message))).Value;
        Assert.False(string.IsNullOrEmpty(setupLink), "the portal logs a setup link on first run");

        // 1. First run: the setup link creates the Administrator, who enrols an authenticator.
        var admin = await browser.NewPageAsync(host.BaseAddress);
        await admin.GotoAsync(new Uri(setupLink).PathAndQuery);
        await browser.ScreenshotAsync(admin, "setup");
        await admin.GetByLabel("E-mail").FillAsync("admin@ttp.example");
        await admin.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await admin.GetByLabel("Password again").FillAsync(Password);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();
        await SignInAndEnrolAsync(browser, admin, "admin@ttp.example", Password, "admin");

        // The setup link works once.
        var again = await browser.NewPageAsync(host.BaseAddress);
        await again.GotoAsync(new Uri(setupLink).PathAndQuery);
        Assert.True(await again.GetByTestId("setup-closed").Or(again.GetByTestId("setup-invalid")).IsVisibleAsync());

        // 2. The Administrator invites two Operators and an Auditor: address and role only, and gets a link for each.
        await PageSteps.GoToAsync(admin, "staff");
        var links = new Dictionary<string, string>
        {
            ["ops-a@ttp.example"] = await InviteAsync(browser, admin, "ops-a@ttp.example", "Operator", screenshot: true),
            ["ops-b@ttp.example"] = await InviteAsync(browser, admin, "ops-b@ttp.example", "Operator"),
            ["audit@ttp.example"] = await InviteAsync(browser, admin, "audit@ttp.example", "Auditor"),
        };
        await browser.ScreenshotAsync(admin, "staff-invited");

        // 2b. Each invitee opens their link in a browser of their own, sets their password and enrols an authenticator.
        var opsA = await browser.NewPageAsync(host.BaseAddress);
        var opsB = await browser.NewPageAsync(host.BaseAddress);
        var auditor = await browser.NewPageAsync(host.BaseAddress);
        var enrolled = new List<Enrolment>
        {
            await EnrolAsync(browser, opsA, links["ops-a@ttp.example"], "ops-a@ttp.example", "Operator", "operator-a"),
            await EnrolAsync(browser, opsB, links["ops-b@ttp.example"], "ops-b@ttp.example", "Operator", "operator-b"),
            await EnrolAsync(browser, auditor, links["audit@ttp.example"], "audit@ttp.example", "Auditor", "auditor"),
        };

        // Neither an authenticator secret nor a recovery code is in any table in clear (Identity's tokens, the sealed
        // keys, everything), and no enrolment token is in the log or the database.
        var stored = await host.StoredTextAsync();
        var log = string.Join('\n', host.Log.Lines.Select(l => l.Message));
        Assert.Contains("Request starting", log, StringComparison.Ordinal);
        foreach (var enrolment in enrolled)
        {
            Assert.DoesNotContain(enrolment.Key, stored, StringComparison.OrdinalIgnoreCase);
            Assert.All(enrolment.RecoveryCodes, c =>
            {
                Assert.DoesNotContain(c, stored, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(c.Replace("-", string.Empty, StringComparison.Ordinal), stored, StringComparison.OrdinalIgnoreCase);
            });
        }

        // The Administrator's recovery codes and the three invitees', each list stored as hashes.
        Assert.Equal(4, Regex.Count(stored, @"AspNetUserTokens\|[^\n]*\|name=RecoveryCodes\|value=sha256:"));
        foreach (var token in links.Values.Select(l => l[(l.IndexOf('#', StringComparison.Ordinal) + 1)..]))
        {
            Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        }

        // A link works once.
        var reused = await browser.NewPageAsync(host.BaseAddress);
        await reused.GotoAsync(links["ops-b@ttp.example"]);
        await Assertions.Expect(reused.GetByTestId("enrol-invalid")).ToContainTextAsync("already used");
        await browser.ScreenshotAsync(reused, "link-used");

        // The Administrator sees three enrolled accounts and no pending invitation.
        await PageSteps.GoToAsync(admin, "staff");
        await Assertions.Expect(admin.GetByTestId("no-invitations")).ToBeVisibleAsync();
        foreach (var email in links.Keys)
        {
            await Assertions.Expect(admin.GetByTestId("staff-grid")).ToContainTextAsync(email);
        }

        // Each signs out and in again with their own password and the next authenticator code.
        var step = await TestTotp.StableStepAsync();
        while (step <= enrolled.Max(e => e.Step))
        {
            await Task.Delay(1_000);
            step = await TestTotp.StableStepAsync();
        }

        foreach (var (page, enrolment) in new[] { opsA, opsB, auditor }.Zip(enrolled))
        {
            await SignOutAsync(page);
            await SignInAsync(page, enrolment.Email, Password);
            await page.WaitForURLAsync("**/account/login-with-2fa**");
            await page.GetByLabel("Code").FillAsync(TestTotp.Code(enrolment.Key, step));
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await page.GetByTestId("signed-in-as").WaitForAsync();
            await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync(enrolment.Email);
            await browser.ScreenshotAsync(page, enrolment.Who + "-signed-in");
        }

        // 3. Operator A registers a TSM with a freshly generated client certificate...
        using var certificate = TestClientCertificates.Create("acme-tsm");
        var pem = Path.Combine(Directory.CreateTempSubdirectory("ttp-e2e-").FullName, "acme-tsm.pem");
        await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem());
        await PageSteps.GoToAsync(opsA, "tsms/register");
        await opsA.GetByTestId("tsm-name").FillAsync("acme");
        await opsA.GetByTestId("tsm-organisation").FillAsync("Acme Wallets");
        await opsA.GetByTestId("tsm-contact-email").FillAsync("ops@acme.example");
        await opsA.GetByTestId("tsm-issuers").FillAsync(Iin);
        await opsA.Locator("input[data-testid=certificate-file]").SetInputFilesAsync(pem);
        await opsA.GetByTestId("certificate-acceptable").WaitForAsync();
        Assert.Contains(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate.RawData)),
            (await opsA.GetByTestId("certificate-thumbprint").InnerTextAsync()).Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal),
            StringComparison.OrdinalIgnoreCase);
        await browser.ScreenshotAsync(opsA, "register-preview");
        await opsA.GetByTestId("tsm-save").ClickAsync();
        await opsA.WaitForURLAsync("**/tsms/acme");
        await Assertions.Expect(opsA.GetByTestId("tsm-state")).ToHaveTextAsync("Pending approval");

        // ...and cannot approve it herself.
        Assert.True(await opsA.GetByTestId("tsm-approve").IsDisabledAsync());
        await Assertions.Expect(opsA.GetByTestId("tsm-four-eyes")).ToContainTextAsync("second operator");
        await browser.ScreenshotAsync(opsA, "registrar-cannot-approve");

        // 4. Operator B approves.
        await PageSteps.GoToAsync(opsB, "tsms/acme");
        await PageSteps.ClickUntilAsync(opsB.GetByTestId("tsm-approve"), opsB.GetByTestId("approve-summary"));
        await Assertions.Expect(opsB.GetByTestId("approve-scope")).ToHaveTextAsync(Iin);
        await opsB.GetByTestId("approve-confirm").ClickAsync();
        await Assertions.Expect(opsB.GetByTestId("tsm-state")).ToHaveTextAsync("Active");
        await browser.ScreenshotAsync(opsB, "approved");

        // 4b. Operator B adds an issuer: it widens the TSM's access, so it waits for a second Operator...
        await opsB.GetByTestId("tsm-edit-scope").ClickAsync();
        var scopeDialog = opsB.Locator(".mud-dialog");
        await scopeDialog.GetByTestId("scope-issuers").FillAsync($"{Iin}, A0000002");
        await scopeDialog.GetByTestId("scope-save").ClickAsync();
        await Assertions.Expect(opsB.GetByTestId("pending-change-summary")).ToHaveTextAsync("add issuers A0000002");
        await Assertions.Expect(opsB.GetByTestId("tsm-issuers")).ToHaveTextAsync(Iin);
        Assert.True(await opsB.GetByTestId("change-approve").IsDisabledAsync());
        await Assertions.Expect(opsB.GetByTestId("change-four-eyes")).ToContainTextAsync("second operator");
        await browser.ScreenshotAsync(opsB, "scope-proposed");

        // ...and Operator A approves it.
        await PageSteps.GoToAsync(opsA, "tsms/acme");
        await PageSteps.ClickUntilAsync(opsA.GetByTestId("change-approve"), opsA.GetByTestId("tsm-issuers").GetByText("A0000002"));
        await Assertions.Expect(opsA.GetByTestId("tsm-pending-changes")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(opsA, "scope-approved");

        // 5. The approved TSM's certificate opens the SOAP endpoint (mutual TLS, pinned).
        await host.Services.GetRequiredService<AccreditedCertificates>().RefreshAsync();
        using (var soap = host.CreateSoapClient(certificate))
        {
            var wsdl = await soap.GetAsync(new Uri("/soap/v1/KeyDistribution.svc?wsdl", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, wsdl.StatusCode);
        }

        // 6. The Auditor (signed in above) cannot open accreditation pages.
        foreach (var path in new[] { "tsms", "tsms/register", "tsms/acme" })
        {
            await auditor.GotoAsync(path);
            await Assertions.Expect(auditor.GetByTestId("access-denied")).ToBeVisibleAsync();
            Assert.Equal(0, await auditor.GetByTestId("tsm-approve").CountAsync());
            Assert.Equal(0, await auditor.GetByTestId("tsm-save").CountAsync());
        }

        await browser.ScreenshotAsync(auditor, "auditor-denied");

        // 7. The Auditor opens the integrity page: the audit public key (the signing key's), the chain covered by its
        // checkpoints, no damage; a full verification from the page says intact.
        await auditor.GotoAsync(string.Empty);
        await PageSteps.FollowLinkAsync(auditor, "Audit integrity", "audit/integrity");
        await Assertions.Expect(auditor.GetByTestId("no-damage")).ToBeVisibleAsync();
        var publicKey = await host.Services.GetRequiredService<AuditTrailVerifier>().PublicKeyAsync();
        await Assertions.Expect(auditor.GetByTestId("public-key-fingerprint")).ToHaveTextAsync(publicKey.Fingerprint);
        await PageSteps.ClickUntilAsync(auditor.GetByTestId("verify"), auditor.GetByTestId("verify-result"));
        await Assertions.Expect(auditor.GetByTestId("verify-result")).ToContainTextAsync("Intact:");
        await browser.ScreenshotAsync(auditor, "integrity-intact");

        // 8. A database writer raises the TSM's rate limit: the record counts as absent and the page names it...
        Assert.Equal(1, await host.ExecuteSqlAsync("UPDATE tsms SET rate_limit_per_second = 9999 WHERE name = 'acme'"));
        await auditor.ReloadAsync();
        await Assertions.Expect(auditor.GetByTestId("damaged-list")).ToContainTextAsync("TSM 'acme'");

        // ...then deletes the trail's last two records and rewinds the head: the page names the gap to the checkpoint.
        Assert.Equal(2, await host.ExecuteSqlAsync("DELETE FROM audit_events WHERE sequence >= (SELECT MAX(sequence) FROM audit_events) - 1"));
        await host.ExecuteSqlAsync("UPDATE audit_chain_head SET last_sequence = (SELECT MAX(sequence) FROM audit_events), "
            + "last_hash = (SELECT hash FROM audit_events WHERE sequence = (SELECT MAX(sequence) FROM audit_events))");
        await auditor.ReloadAsync();
        await Assertions.Expect(auditor.GetByTestId("anchor-text")).ToContainTextAsync("records were removed from the end");
        await Assertions.Expect(auditor.GetByTestId("damaged-list")).ToContainTextAsync("TSM 'acme'");
        await browser.ScreenshotAsync(auditor, "integrity-damaged");
    }

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("account/login");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    // Signs in with the password and enrols an authenticator (the test computes the code from the key on the page).
    private static async Task SignInAndEnrolAsync(Browser browser, IPage page, string email, string password, string who)
    {
        await SignInAsync(page, email, password);
        await page.WaitForURLAsync("**/account/enrol-authenticator**");
        var key = (await page.GetByTestId("authenticator-key").InnerTextAsync()).Trim();
        await page.GetByLabel("Code").FillAsync(TestTotp.Code(key, await TestTotp.StableStepAsync()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and enrol" }).ClickAsync();
        await page.GetByTestId("recovery-codes").WaitForAsync();
        await page.GotoAsync(string.Empty);
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync(email);
        await browser.ScreenshotAsync(page, who + "-signed-in");
    }

    // The Administrator invites (address and role: the dialog has no password field) and reads the link the dialog shows
    // once; a screenshot, when asked for, paints the link over.
    private static async Task<string> InviteAsync(Browser browser, IPage admin, string email, string role, bool screenshot = false)
    {
        var dialog = admin.Locator(".mud-dialog");
        await PageSteps.ClickUntilAsync(admin.GetByTestId("invite"), dialog);
        await dialog.GetByLabel("E-mail").FillAsync(email);
        await dialog.GetByText(role, new() { Exact = true }).ClickAsync();
        Assert.Equal(0, await dialog.Locator("input[type=password]").CountAsync());
        await dialog.GetByTestId("invite-submit").ClickAsync();
        var link = dialog.GetByTestId("enrolment-link");
        await Assertions.Expect(dialog.GetByTestId("invitation-shown-once")).ToContainTextAsync("Shown once");
        await Assertions.Expect(dialog.GetByTestId("invitation-shown-once")).ToContainTextAsync("until");
        var url = await link.InputValueAsync();
        Assert.Matches(@"^https://127\.0\.0\.1:\d+/account/enrol#[A-Za-z0-9_-]{43}$", url);
        if (screenshot)
        {
            await browser.ScreenshotAsync(admin, "invitation-link", link);
        }

        await dialog.GetByTestId("invite-done").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(admin.GetByTestId("invitations")).ToContainTextAsync(email);
        return url;
    }

    // The invitee opens the link in their own browser, sees the address and role, chooses a password (the test's), and
    // enrols an authenticator (the test computes the code from the key on the page, as an app would).
    private static async Task<Enrolment> EnrolAsync(Browser browser, IPage page, string link, string email, string role, string who)
    {
        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByTestId("enrol-email")).ToHaveTextAsync(email);
        await Assertions.Expect(page.GetByTestId("enrol-roles")).ToHaveTextAsync(role);
        Assert.DoesNotContain("#", page.Url, StringComparison.Ordinal);
        await browser.ScreenshotAsync(page, who + "-invitation");
        await page.GetByLabel("Password (at least 12 characters)").FillAsync(Password);
        await page.GetByLabel("Password again").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password and continue" }).ClickAsync();
        await page.WaitForURLAsync("**/account/enrol-authenticator**");
        var key = (await page.GetByTestId("authenticator-key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal).Trim();
        var step = await TestTotp.StableStepAsync();
        await page.GetByLabel("Code").FillAsync(TestTotp.Code(key, step));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and enrol" }).ClickAsync();
        await page.GetByTestId("recovery-codes").WaitForAsync();
        var codes = (await page.GetByTestId("recovery-codes").Locator("li").AllInnerTextsAsync()).Select(c => c.Trim()).ToList();
        Assert.Equal(10, codes.Count);
        await page.GotoAsync(string.Empty);
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync(email);
        return new Enrolment(email, who, key, codes, step);
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/account/login**");
    }

    private sealed record Enrolment(string Email, string Who, string Key, IReadOnlyList<string> RecoveryCodes, long Step);

    [GeneratedRegex(@"https://\S+/setup\?token=[A-Za-z0-9_\-]+")]
    private static partial Regex SetupLinkPattern();
}
