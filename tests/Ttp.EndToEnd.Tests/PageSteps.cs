using Microsoft.Playwright;
using Ttp.Portal.Tests;
using Ttp.Portal.Tests.Account;

namespace Ttp.EndToEnd.Tests;

/// <summary>Steps every journey takes on a Blazor Server page: open it with its circuit live, click until the effect shows.</summary>
internal static class PageSteps
{
    // Opens an interactive page and waits until its circuit is live (MainLayout renders the marker only then).
    public static async Task GoToAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.GetByTestId("circuit-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    // Follows a menu link once the page's circuit is live and waits for the target page's circuit: a click while the
    // circuit starts can be undone by it (the starting circuit renders the page it was opened on again).
    public static async Task FollowLinkAsync(IPage page, string name, string path)
    {
        await page.GetByTestId("circuit-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await page.WaitForURLAsync("**/" + path);
        await page.GetByTestId("circuit-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    // A prerendered button does nothing until the Blazor circuit is connected: wait for the circuit, click, and click
    // again only if the effect has not appeared after a while. Under load an effective click can take seconds to show (a
    // second click would then open a second dialog), so the effect is looked for before every further click.
    public static async Task ClickUntilAsync(ILocator button, ILocator appears)
    {
        await button.Page.GetByTestId("circuit-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        for (var attempt = 0; ; attempt++)
        {
            if (attempt == 0 || await appears.CountAsync() == 0)
            {
                await button.ClickAsync();
            }

            try
            {
                await appears.First.WaitForAsync(new() { Timeout = 10_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                // not interactive yet
            }
        }
    }

    // Signs in with the seeded password and, for roles that need one, a fresh authenticator code.
    public static async Task SignInAsync(IPage page, string email, string? authenticatorKey)
    {
        await page.GotoAsync("account/login");
        for (var attempt = 1; ; attempt++)
        {
            await page.GetByLabel("E-mail").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(PortalHost.StaffPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            try
            {
                // Left the sign-in form (for the code, or signed in). On a loaded machine the page's enhanced load can
                // replace the form after the fields were filled, and the click then posts it empty: fill and click again.
                await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.EndsWith("/account/login", StringComparison.Ordinal), new() { Timeout = 10_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }

        if (authenticatorKey is not null)
        {
            await page.WaitForURLAsync("**/account/login-with-2fa**");
            await page.GetByLabel("Code").FillAsync(TestTotp.Code(authenticatorKey, await TestTotp.StableStepAsync()));
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        }

        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToContainTextAsync(email);

        // The landing page is interactive before the next step clicks anything (a click on a prerendered menu link while
        // the dashboard's circuit was still starting sometimes left the next page without its content).
        await page.GetByTestId("circuit-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }
}
