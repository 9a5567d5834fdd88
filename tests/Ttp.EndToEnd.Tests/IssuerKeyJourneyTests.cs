using System.Security.Cryptography;
using Microsoft.Playwright;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Staff;
using Ttp.Portal.Tests;
using Ttp.Portal.Tests.Account;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// The issuer key sets' life cycle in a real browser against the real portal (Kestrel, TLS, SQLite, sign-in with
/// password and TOTP): a Security officer suspends, reinstates and retires the issuer's only active key set (warned
/// that it is the last one, told retiring is final); an Auditor sees the same pages without any action. Screenshots
/// <c>issuer-keys-NN-*.png</c>.
/// </summary>
public sealed class IssuerKeyJourneyTests
{
    private const string Iin = "A0000001";
    private const string Officer = "officer@ttp.example";
    private const string Auditor = "auditor@ttp.example";

    [Fact]
    public async Task Journey_SecurityOfficerSuspendsReinstatesRetires_AuditorReadsOnly()
    {
        using var host = new PortalHost();
        host.StartServer();
        var master = RandomNumberGenerator.GetBytes(16);
        await host.AddKeySetAsync(Iin, 1, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, master);
        CryptographicOperations.ZeroMemory(master);
        await host.SeedStaffAsync(Officer, [StaffRoles.SecurityOfficer], TestTotp.Key);
        await host.SeedStaffAsync(Auditor, [StaffRoles.Auditor]);
        await using var browser = await Browser.LaunchAsync("issuer-keys");

        // 1. The Security officer signs in (password and authenticator code) and opens the list from the menu.
        var officer = await browser.NewPageAsync(host.BaseAddress);
        await PageSteps.SignInAsync(officer, Officer, TestTotp.Key);
        await PageSteps.FollowLinkAsync(officer, "Issuer keys", "issuer-keys");
        var row = officer.GetByTestId("issuer-key-row");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.GetByTestId("issuer-key-state")).ToHaveTextAsync("Active");
        await browser.ScreenshotAsync(officer, "list");

        // 2. Suspend, with a reason.
        await PageSteps.GoToAsync(officer, $"issuer-keys/{Iin}/1");
        var dialog = officer.Locator(".mud-dialog");
        await PageSteps.ClickUntilAsync(officer.GetByTestId("issuer-key-suspend"), dialog);
        await dialog.GetByLabel("Reason").FillAsync("issuer asked for a pause");
        await dialog.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(officer.GetByTestId("issuer-key-state")).ToHaveTextAsync("Suspended");
        await browser.ScreenshotAsync(officer, "suspended");

        // 3. Reinstate.
        await officer.GetByTestId("issuer-key-reinstate").ClickAsync();
        await dialog.GetByLabel("Reason").FillAsync("pause over");
        await dialog.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(officer.GetByTestId("issuer-key-state")).ToHaveTextAsync("Active");

        // 4. Retire: the dialog warns that this is the issuer's last active set and that retiring is final.
        await officer.GetByTestId("issuer-key-retire").ClickAsync();
        await Assertions.Expect(dialog.GetByTestId("reason-warning")).ToContainTextAsync(Iin);
        await Assertions.Expect(dialog.GetByTestId("reason-final")).ToBeVisibleAsync();
        await dialog.GetByLabel("Reason").FillAsync("replaced by KVN 2");
        await browser.ScreenshotAsync(officer, "retire-warning");
        await dialog.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(officer.GetByTestId("issuer-key-state")).ToHaveTextAsync("Retired");
        await Assertions.Expect(officer.GetByTestId("issuer-key-retire")).ToHaveCountAsync(0);
        await Assertions.Expect(officer.GetByTestId("issuer-key-timeline")).ToContainTextAsync("replaced by KVN 2");
        await browser.ScreenshotAsync(officer, "retired");

        // 5. The Auditor (no authenticator) sees the key set and its timeline, and no action.
        var auditor = await browser.NewPageAsync(host.BaseAddress);
        await PageSteps.SignInAsync(auditor, Auditor, null);
        await PageSteps.GoToAsync(auditor, $"issuer-keys/{Iin}/1");
        await Assertions.Expect(auditor.GetByTestId("issuer-key-state")).ToHaveTextAsync("Retired");
        await Assertions.Expect(auditor.GetByTestId("issuer-key-timeline")).ToContainTextAsync("issuer asked for a pause");
        Assert.Equal(0, await auditor.GetByTestId("issuer-key-actions").CountAsync());
        await browser.ScreenshotAsync(auditor, "auditor-read-only");
    }
}
