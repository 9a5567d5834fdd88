using Microsoft.Playwright;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// Dark mode (issue 16): the portal follows the system setting (prefers-color-scheme, emulated by Playwright) until the
/// user picks a theme with the app bar's button; the pick survives a reload and then outranks the system setting.
/// Screenshots <c>ux-theme-NN-*.png</c>.
/// </summary>
[Collection(AccessibilityWorld.Collection)]
public sealed class ThemeTests(AccessibilityWorld world)
{
    [Fact]
    public async Task ThemeButton_SystemDarkThenLightPicked_FollowsSystemUntilPickedAndKeepsThePickAcrossReloads()
    {
        await using var browser = await Browser.LaunchAsync("ux-theme");

        // No pick yet: the system's dark setting rules, and a change of the system setting is followed at once.
        var page = await browser.NewPageAsync(world.Host.BaseAddress, 1280, ColorScheme.Dark, world.SignedIn);
        await PageSteps.GoToAsync(page, "tsms");
        var toggle = page.GetByTestId("theme-toggle");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "dark");
        Assert.True(await IsDarkAsync(page));
        await browser.ScreenshotAsync(page, "system-dark");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "light");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "dark");

        // The user picks light: kept over a reload, and over the system's dark setting.
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "light");
        Assert.False(await IsDarkAsync(page));
        await page.ReloadAsync();
        await page.GetByTestId("circuit-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "light");
        Assert.False(await IsDarkAsync(page));
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "light");
        await browser.ScreenshotAsync(page, "picked-light-after-reload");

        // And back to dark, kept over a reload in a light system.
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "dark");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await PageSteps.GoToAsync(page, "tsms");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-theme", "dark");
        Assert.True(await IsDarkAsync(page));

        // Another browser without a pick follows its own system setting.
        var other = await browser.NewPageAsync(world.Host.BaseAddress, 1280, ColorScheme.Light, world.SignedIn);
        await PageSteps.GoToAsync(other, "tsms");
        await Assertions.Expect(other.GetByTestId("theme-toggle")).ToHaveAttributeAsync("data-theme", "light");
        Assert.False(await IsDarkAsync(other));
    }

    private static async Task<bool> IsDarkAsync(IPage page) =>
        await page.EvaluateAsync<bool>(
            "() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/[0-9.]+/g).map(Number); return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128; }");
}
