using Microsoft.Playwright;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// Visible keyboard focus (WCAG 2.4.7, issue 16): with Tab alone the app bar's controls are reached (from the heading
/// focused after navigation, through the page, round to the top),
/// each with a clear ring (text fields show focus with their own underline); the heading focused after navigation shows none. Screenshot <c>ux-focus-NN-*.png</c>.
/// </summary>
[Collection(AccessibilityWorld.Collection)]
public sealed class FocusTests(AccessibilityWorld world)
{
    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task Tab_AppBarAndMenu_EveryStopHasAVisibleRing(int width)
    {
        await using var browser = await Browser.LaunchAsync($"ux-focus-{width}");
        var page = await browser.NewPageAsync(world.Host.BaseAddress, width, ColorScheme.Light, world.SignedIn);
        await PageSteps.GoToAsync(page, "tsms");
        Assert.Equal("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('h1')).outlineStyle"));

        var reached = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string[]>(
                "() => { const e = document.activeElement; const s = getComputedStyle(e); return [e.getAttribute('aria-label') || e.textContent.trim(), s.outlineStyle, s.outlineWidth, e.tagName]; }");
            // Past the last control focus leaves the page (the body) and the next Tab starts again at the top.
            if (focused[3] is "INPUT" or "TEXTAREA" or "BODY")
            {
                continue;
            }

            Assert.True(focused[1] == "solid" && double.Parse(focused[2].Replace("px", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) >= 2,
                $"{focused[0]}: outline {focused[1]} {focused[2]}");
            reached.Add(focused[0]);
            if (i == 2)
            {
                await browser.ScreenshotAsync(page, "third-stop");
            }
        }

        Assert.Contains(reached, r => r.StartsWith("Switch to the", StringComparison.Ordinal));
        Assert.Contains(reached, r => r.Contains(width < 600 ? "Account" : "Sign out", StringComparison.OrdinalIgnoreCase));
    }
}
