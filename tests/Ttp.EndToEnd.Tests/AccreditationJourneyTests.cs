using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ttp.Domain.KeyRequests;
using Ttp.Portal.Tests;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// The accreditation journey in a real browser against the real portal (Kestrel, TLS, SQLite): first-run setup, an
/// Administrator with TOTP, two Operators, four-eyes approval of a TSM, then that TSM's certificate opens the SOAP
/// endpoint; an Auditor cannot reach accreditation. A screenshot of each step is kept (see <see cref="Browser"/>); no
/// screenshot is taken while a password or an authenticator key is on screen.
/// </summary>
public sealed partial class AccreditationJourneyTests
{
    private const string Password = "Correct-Horse-Battery-9";
    private const string Iin = "A0000001";

    [Fact]
    public async Task Journey_SetupAdminOperatorsFourEyesApproval_TsmCertificateAcceptedBySoap()
    {
        using var host = new PortalHost();
        host.StartServer();
        await using var browser = await Browser.LaunchAsync("accreditation");
        var setupLink = SetupLinkPattern().Match(string.Join('\n', host.Log.Lines.Select(l => l.Message))).Value;
        Assert.False(string.IsNullOrEmpty(setupLink), "the portal logs a setup link on first run");

        // 1. First run: the setup link creates the Administrator, who enrols an authenticator.
        var admin = await browser.NewPageAsync(host.BaseAddress);
        await admin.GotoAsync(new Uri(setupLink).PathAndQuery);
        await browser.ScreenshotAsync(admin, "setup");
        await admin.GetByLabel("E-mail").FillAsync("admin@ttp.example");
        await admin.GetByLabel("Password (at least 12 characters)").FillAsync(Password);
        await admin.GetByLabel("Password again").FillAsync(Password);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();
        await SignInAndEnrolAsync(browser, admin, "admin@ttp.example", Password, "admin");

        // The setup link works once.
        var again = await browser.NewPageAsync(host.BaseAddress);
        await again.GotoAsync(new Uri(setupLink).PathAndQuery);
        Assert.True(await again.GetByTestId("setup-closed").Or(again.GetByTestId("setup-invalid")).IsVisibleAsync());

        // 2. The Administrator invites two Operators and an Auditor.
        await GoToAsync(admin, "staff");
        await InviteAsync(admin, "ops-a@ttp.example", "Operator");
        await InviteAsync(admin, "ops-b@ttp.example", "Operator");
        await InviteAsync(admin, "audit@ttp.example", "Auditor");
        await browser.ScreenshotAsync(admin, "staff-invited");

        // 3. Operator A registers a TSM with a freshly generated client certificate...
        using var certificate = TestClientCertificates.Create("acme-tsm");
        var pem = Path.Combine(Directory.CreateTempSubdirectory("ttp-e2e-").FullName, "acme-tsm.pem");
        await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem());
        var opsA = await browser.NewPageAsync(host.BaseAddress);
        await SignInAndEnrolAsync(browser, opsA, "ops-a@ttp.example", Password, "operator-a");
        await GoToAsync(opsA, "tsms/register");
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
        var opsB = await browser.NewPageAsync(host.BaseAddress);
        await SignInAndEnrolAsync(browser, opsB, "ops-b@ttp.example", Password, "operator-b");
        await GoToAsync(opsB, "tsms/acme");
        await ClickUntilAsync(opsB.GetByTestId("tsm-approve"), opsB.GetByTestId("tsm-state").GetByText("Active"));
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
        await GoToAsync(opsA, "tsms/acme");
        await ClickUntilAsync(opsA.GetByTestId("change-approve"), opsA.GetByTestId("tsm-issuers").GetByText("A0000002"));
        await Assertions.Expect(opsA.GetByTestId("tsm-pending-changes")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(opsA, "scope-approved");

        // 5. The approved TSM's certificate opens the SOAP endpoint (mutual TLS, pinned).
        await host.Services.GetRequiredService<AccreditedCertificates>().RefreshAsync();
        using (var soap = host.CreateSoapClient(certificate))
        {
            var wsdl = await soap.GetAsync(new Uri("/soap/v1/KeyDistribution.svc?wsdl", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, wsdl.StatusCode);
        }

        // 6. The Auditor signs in (no second factor required) and cannot open accreditation pages.
        var auditor = await browser.NewPageAsync(host.BaseAddress);
        await SignInAsync(auditor, "audit@ttp.example", Password);
        foreach (var path in new[] { "tsms", "tsms/register", "tsms/acme" })
        {
            await auditor.GotoAsync(path);
            await Assertions.Expect(auditor.GetByTestId("access-denied")).ToBeVisibleAsync();
            Assert.Equal(0, await auditor.GetByTestId("tsm-approve").CountAsync());
            Assert.Equal(0, await auditor.GetByTestId("tsm-save").CountAsync());
        }

        await browser.ScreenshotAsync(auditor, "auditor-denied");
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

    private static async Task InviteAsync(IPage admin, string email, string role)
    {
        var dialog = admin.Locator(".mud-dialog");
        await ClickUntilAsync(admin.GetByTestId("invite"), dialog);
        await dialog.GetByLabel("E-mail").FillAsync(email);
        await dialog.GetByText(role, new() { Exact = true }).ClickAsync();
        await dialog.GetByText("Generate the initial password (shown once)").ClickAsync();
        await dialog.GetByLabel("Initial password (at least 12 characters)").FillAsync(Password);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("staff-grid")).ToContainTextAsync(email);
    }

    // Opens an interactive page and waits until its circuit is live (MainLayout renders the marker only then).
    private static async Task GoToAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.GetByTestId("circuit-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    // A prerendered button does nothing until the Blazor circuit is connected: click until the effect appears.
    private static async Task ClickUntilAsync(ILocator button, ILocator appears)
    {
        for (var attempt = 0; ; attempt++)
        {
            await button.ClickAsync();
            try
            {
                await appears.First.WaitForAsync(new() { Timeout = 3_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 5)
            {
                // not interactive yet
            }
        }
    }

    [GeneratedRegex(@"https://\S+/setup\?token=[A-Za-z0-9_\-]+")]
    private static partial Regex SetupLinkPattern();
}
