using Microsoft.Playwright;
using Ttp.Domain.Staff;
using Ttp.Portal.Tests;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// The portal's forms in a real browser against the real portal (Kestrel, TLS, SQLite, sign-in with password and TOTP),
/// at a desktop and a phone width: a refused invitation keeps the dialog open with the address and role as typed and
/// the refusal in it; an Operator registers a TSM with the keyboard alone (Tab to every field, the certificate chooser
/// reached and opened with Enter, the certificate pasted as PEM, Register pressed with Enter); a second Operator reads
/// the Approve summary before approving; an invalid IIN in Edit scope stays in the open dialog with the domain's message
/// on the field. Screenshots <c>ux-forms-WIDTH-NN-*.png</c>.
/// </summary>
public sealed class FormsJourneyTests
{
    private const string Admin = "admin@ttp.example";
    private const string OperatorA = "ops-a@ttp.example";
    private const string OperatorB = "ops-b@ttp.example";

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task Journey_FormsKeepInputShowRefusalsInPlaceKeyboardRegistrationApproveSummary(int width, int height)
    {
        using var host = new PortalHost();
        host.StartServer();
        await host.SeedStaffAsync(Admin, [StaffRoles.Administrator], TestTotp.Key);
        await host.SeedStaffAsync(OperatorA, [StaffRoles.Operator], TestTotp.Key);
        await host.SeedStaffAsync(OperatorB, [StaffRoles.Operator], TestTotp.Key);
        await using var browser = await Browser.LaunchAsync($"ux-forms-{width}");

        // 1. An invitation the server refuses (the address has an account): the dialog stays open with what was typed.
        var admin = await OpenAsync(browser, host, width, height);
        await PageSteps.SignInAsync(admin, Admin, TestTotp.Key);
        await PageSteps.GoToAsync(admin, "staff");
        var dialog = admin.Locator(".mud-dialog");
        await PageSteps.ClickUntilAsync(admin.GetByTestId("invite"), dialog);
        await dialog.GetByLabel("E-mail").FillAsync(OperatorA);
        await dialog.GetByText(StaffRoles.Auditor, new() { Exact = true }).ClickAsync();
        await dialog.GetByTestId("invite-submit").ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("invite-error")).ToHaveTextAsync($"A staff account for {OperatorA} already exists.");
        await Assertions.Expect(dialog.GetByLabel("E-mail")).ToHaveValueAsync(OperatorA);
        await Assertions.Expect(dialog.GetByRole(AriaRole.Checkbox, new() { Name = StaffRoles.Auditor })).ToBeCheckedAsync();
        await Assertions.Expect(admin.Locator(".mud-snackbar")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(admin, "invite-refused-kept");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);

        // 2. Operator A registers a TSM with the keyboard only.
        var opsA = await OpenAsync(browser, host, width, height);
        await PageSteps.SignInAsync(opsA, OperatorA, TestTotp.Key);
        await PageSteps.GoToAsync(opsA, "tsms/register");
        await Assertions.Expect(opsA.GetByTestId("tsm-save-why")).ToHaveTextAsync("Enter a name to register the TSM.");
        await TabToAsync(opsA, "tsm-name");
        await opsA.Keyboard.TypeAsync("acme");
        await TabToAsync(opsA, "tsm-organisation");
        await opsA.Keyboard.TypeAsync("Acme Wallets");
        await TabToAsync(opsA, "tsm-issuers");
        await opsA.Keyboard.TypeAsync("A0000001 A0000002");
        await TabToAsync(opsA, "tsm-rate-limit");
        await opsA.Keyboard.TypeAsync("25");
        await Assertions.Expect(opsA.GetByTestId("tsm-save-why")).ToHaveTextAsync("Choose the TSM's client certificate, or paste it as PEM.");

        // The certificate chooser takes the focus and opens with Enter...
        await TabToAsync(opsA, "certificate-file");
        await browser.ScreenshotAsync(opsA, "register-chooser-focused");
        var chooser = await opsA.RunAndWaitForFileChooserAsync(() => opsA.Keyboard.PressAsync("Enter"), new() { Timeout = 10_000 });
        Assert.Equal("certificate-file", await chooser.Element.GetAttributeAsync("data-testid"));

        // ...and the certificate is pasted as PEM instead: the same preview as a file's.
        using var certificate = TestClientCertificates.Create("acme-tsm");
        await TabToAsync(opsA, "certificate-file-pem");
        await opsA.Keyboard.InsertTextAsync(certificate.ExportCertificatePem());
        await opsA.Keyboard.PressAsync("Tab");
        await Assertions.Expect(opsA.GetByTestId("certificate-acceptable")).ToBeVisibleAsync();
        Assert.Equal(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
            (await opsA.GetByTestId("certificate-thumbprint").InnerTextAsync()).Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).Trim(),
            ignoreCase: true);
        await Assertions.Expect(opsA.GetByTestId("tsm-save-why")).ToHaveCountAsync(0);
        await TabToAsync(opsA, "tsm-save");
        await browser.ScreenshotAsync(opsA, "register-keyboard-ready");
        await opsA.Keyboard.PressAsync("Enter");
        await opsA.WaitForURLAsync("**/tsms/acme");
        await Assertions.Expect(opsA.GetByTestId("tsm-state")).ToHaveTextAsync("Pending approval");

        // 3. Operator B sees it waiting on the dashboard, opens it and reads what Approve accredits before it is sent.
        var opsB = await OpenAsync(browser, host, width, height);
        await PageSteps.SignInAsync(opsB, OperatorB, TestTotp.Key);
        await Assertions.Expect(opsB.GetByTestId("pending-approval-link")).ToHaveTextAsync("Approve TSM 'acme' (Acme Wallets)");
        await browser.ScreenshotAsync(opsB, "dashboard-pending-approvals");
        await PageSteps.GoToAsync(opsB, "tsms/acme");
        var approve = opsB.Locator(".mud-dialog");
        await PageSteps.ClickUntilAsync(opsB.GetByTestId("tsm-approve"), approve.GetByTestId("approve-summary"));
        await Assertions.Expect(approve.GetByTestId("approve-name")).ToHaveTextAsync("acme");
        await Assertions.Expect(approve.GetByTestId("approve-organisation")).ToHaveTextAsync("Acme Wallets");
        Assert.Equal(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
            (await approve.GetByTestId("approve-thumbprint").InnerTextAsync()).Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).Trim(),
            ignoreCase: true);
        await Assertions.Expect(approve.GetByTestId("approve-scope")).ToHaveTextAsync("A0000001, A0000002");
        await Assertions.Expect(approve.GetByTestId("approve-rate-limit")).ToHaveTextAsync("25 requests per second");
        await Assertions.Expect(opsB.GetByTestId("tsm-state")).ToHaveTextAsync("Pending approval");
        await browser.ScreenshotAsync(opsB, "approve-summary");
        await approve.GetByTestId("approve-confirm").ClickAsync();
        await Assertions.Expect(opsB.GetByTestId("tsm-state")).ToHaveTextAsync("Active");
        await Assertions.Expect(approve).ToHaveCountAsync(0);

        // 4. An invalid IIN in Edit scope: the dialog stays open, the edit kept, the domain's message on the field.
        await opsB.GetByTestId("tsm-edit-scope").ClickAsync();
        var scope = opsB.Locator(".mud-dialog");
        await scope.GetByTestId("scope-issuers").FillAsync("A0000001, A0000002, XYZ");
        await scope.GetByTestId("scope-save").ClickAsync();
        await Assertions.Expect(scope).ToContainTextAsync("Issuer 'XYZ': expected an IIN of 1 to 16 bytes in hex");
        await Assertions.Expect(scope.Locator(".mud-input-helper-text.mud-input-error")).ToContainTextAsync("Issuer 'XYZ': expected an IIN");
        await Assertions.Expect(scope.GetByTestId("scope-issuers")).ToHaveValueAsync("A0000001, A0000002, XYZ");
        await browser.ScreenshotAsync(opsB, "edit-scope-invalid-iin");
        await scope.GetByTestId("scope-issuers").FillAsync("A0000001, A0000002");
        await scope.GetByTestId("scope-save").ClickAsync();
        await Assertions.Expect(scope).ToHaveCountAsync(0);
        await Assertions.Expect(opsB.GetByTestId("tsm-issuers")).ToHaveTextAsync("A0000001, A0000002");
        await Assertions.Expect(opsB.Locator(".mud-snackbar")).ToHaveCountAsync(1);
    }

    private static async Task<IPage> OpenAsync(Browser browser, PortalHost host, int width, int height)
    {
        var page = await browser.NewPageAsync(host.BaseAddress);
        await page.SetViewportSizeAsync(width, height);
        return page;
    }

    // Presses Tab until the element with the test id has the focus (as a keyboard user moves through the page).
    private static async Task TabToAsync(IPage page, string testId)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            if (await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('data-testid')") == testId)
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {testId}");
    }
}
