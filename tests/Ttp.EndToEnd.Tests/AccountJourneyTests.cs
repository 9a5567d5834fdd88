using Microsoft.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.Staff;
using Ttp.Portal.Tests;
using Ttp.Portal.Tests.Account;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// The own account in a real browser, at 1280 and 390 px: an Operator whose first password the host operator chose
/// (<c>ttpctl user add</c>) is held at the password change (the rules stated, a wrong current password refused on its
/// field), then enrols an authenticator and gets recovery codes (copy, download, "I have saved them" before Continue),
/// opens "Your account" from the menu (roles in words, this session) and makes new recovery codes. Screenshots
/// <c>ux-account-NN-*.png</c>.
/// </summary>
public sealed class AccountJourneyTests
{
    private const string NewPassword = "Another-Staple-Horse-7";

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task Journey_FirstPasswordChangedAuthenticatorEnrolledCodesSavedAccountShown(int width)
    {
        var email = $"operator.{width}@ttp.example";
        using var host = new PortalHost();
        await host.SeedStaffAsync("admin@ttp.example", [StaffRoles.Administrator], TestTotp.Key);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StaffService>()
                .AddAsync(email, [StaffRoles.Operator, StaffRoles.SecurityOfficer], PortalHost.StaffPassword, Actor.Cli("root"), passwordChangeRequired: true);
        }

        await using var browser = await Browser.LaunchAsync($"ux-account-{width}");
        var page = await browser.NewPageAsync(host.BaseAddress);
        await page.SetViewportSizeAsync(width, 900);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);

        // 1. Signed in with the password someone else chose: held at the password change, the rules stated up front.
        await page.GotoAsync("account/login");
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(PortalHost.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/account/password");
        await Assertions.Expect(page.GetByTestId("password-change-required")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("password-rules")).ToContainTextAsync("At least 12 characters, with a lower-case letter");
        await browser.ScreenshotAsync(page, "password-required");

        // 2. A wrong current password: refused on its field, nothing written back.
        await page.GetByLabel("Current password").FillAsync("Not-My-Password-1");
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("New password again").FillAsync(NewPassword);
        await page.GetByTestId("password-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#current-error")).ToContainTextAsync("That is not your current password.");
        await Assertions.Expect(page.GetByLabel("New password", new() { Exact = true })).ToHaveValueAsync(string.Empty);
        Assert.DoesNotContain(NewPassword, await page.ContentAsync(), StringComparison.Ordinal);
        await AssertFitsAsync(page, width);
        await browser.ScreenshotAsync(page, "password-refused");

        // 3. The right one: on to the authenticator enrolment (the role needs it).
        await page.GetByLabel("Current password").FillAsync(PortalHost.StaffPassword);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await page.GetByLabel("New password again").FillAsync(NewPassword);
        await page.GetByTestId("password-submit").ClickAsync();
        await page.WaitForURLAsync("**/account/enrol-authenticator");
        await Assertions.Expect(page.GetByTestId("enrol-why")).ToContainTextAsync("Your role requires a second factor");
        var key = (await page.GetByTestId("authenticator-key").TextContentAsync())!.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        await browser.ScreenshotAsync(page, "enrol", page.GetByTestId("authenticator-key"), page.Locator("img.ttp-qr"));
        await page.GetByLabel("Code").FillAsync(TestTotp.Code(key, await TestTotp.StableStepAsync()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify and enrol" }).ClickAsync();

        // 4. The recovery codes: copy, download, and Continue only once "I have saved them" is ticked.
        var codes = page.GetByTestId("recovery-codes").Locator("li");
        await Assertions.Expect(codes).ToHaveCountAsync(10);
        var shown = (await codes.AllTextContentsAsync()).Select(c => c.Trim()).ToList();
        await page.GetByTestId("recovery-codes-copy").ClickAsync();
        await Assertions.Expect(page.Locator("#recovery-codes-copied")).ToHaveTextAsync("Copied to the clipboard.");
        var clipboard = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(string.Join("\n", shown), clipboard);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("recovery-codes-download").ClickAsync());
        Assert.Equal("ttp-recovery-codes.txt", download.SuggestedFilename);
        var file = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.All(shown, c => Assert.Contains(c, file, StringComparison.Ordinal));
        Assert.False(await page.GetByTestId("recovery-codes-saved").EvaluateAsync<bool>("e => e.form.checkValidity()"));
        await page.GetByTestId("recovery-codes-continue").ClickAsync();
        await Assertions.Expect(page.GetByTestId("recovery-codes")).ToBeVisibleAsync();
        Assert.EndsWith("/account/enrol-authenticator", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await AssertFitsAsync(page, width);
        await browser.ScreenshotAsync(page, "recovery-codes", page.GetByTestId("recovery-codes"));
        await page.GetByTestId("recovery-codes-saved").CheckAsync();
        await page.GetByTestId("recovery-codes-continue").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync(email);
        await page.GetByTestId("circuit-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        // 5. "Your account" from the menu (a menu button at phone width): roles in words, this session.
        if (width < 960)
        {
            await page.GotoAsync("account");
        }
        else
        {
            await page.GetByRole(AriaRole.Link, new() { Name = "Your account" }).ClickAsync();
        }

        await page.WaitForURLAsync("**/account");
        await Assertions.Expect(page.GetByTestId("account-roles")).ToContainTextAsync("Security officer");
        await Assertions.Expect(page.GetByTestId("account-session")).ToContainTextAsync(" UTC");
        await Assertions.Expect(page.GetByTestId("account-factor")).ToContainTextAsync("10 recovery codes left");
        await AssertFitsAsync(page, width);
        await browser.ScreenshotAsync(page, "account");

        // 6. New recovery codes replace the old ones.
        await page.GetByTestId("account-recovery-codes").ClickAsync();
        await page.GetByTestId("recovery-codes-regenerate").ClickAsync();
        await Assertions.Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
        Assert.Empty(shown.Intersect(await page.GetByTestId("recovery-codes").Locator("li").AllTextContentsAsync()));
        await browser.ScreenshotAsync(page, "new-recovery-codes", page.GetByTestId("recovery-codes"));
    }

    // The page is no wider than the window (nothing cut off at 390 px).
    private static async Task AssertFitsAsync(IPage page, int width) =>
        Assert.True(await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth") <= width, "the page is wider than the window");
}
