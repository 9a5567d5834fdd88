using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Ttp.Portal.Tests.Account;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// WCAG 2.1 AA on every page of the portal (issue 16): axe-core (Deque.AxeCore.Playwright) in Debian's Chromium on each
/// routable page (<see cref="PortalPage.All"/>), 1280 and 390 px wide, light and dark system theme. Each page has no
/// serious or critical violation, a title "&lt;page&gt; · TTP key server", one <c>main</c> landmark and one <c>h1</c>, the
/// theme the system asks for, and at 390 px is no wider than the window, with the app bar on one line. Screenshots
/// <c>ux-a11y-&lt;width&gt;-&lt;theme&gt;-NN-&lt;page&gt;.png</c> of a few pages.
/// </summary>
[Collection(AccessibilityWorld.Collection)]
public sealed partial class AccessibilityTests(AccessibilityWorld world)
{
    // The pages kept as screenshots at each width and theme.
    private static readonly string[] Photographed = ["/", "/tsms", "/tsms/{Name}", "/account/login"];

    // The user the sign-in pages are shown for (their second step needs a user who passed the first).
    private const string SecondStepPages = "/account/login-with-2fa /account/login-with-recovery-code";

    public static TheoryData<int, string> Views => new()
    {
        { 1280, "light" },
        { 1280, "dark" },
        { 390, "light" },
        { 390, "dark" },
    };

    [Theory]
    [MemberData(nameof(Views))]
    public async Task EveryPage_WidthAndSystemTheme_NoSeriousViolationTitledOneMainOneH1FitsTheWindow(int width, string theme)
    {
        var scheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light;
        await using var browser = await Browser.LaunchAsync($"ux-a11y-{width}-{theme}");
        var signedIn = await browser.NewPageAsync(world.Host.BaseAddress, width, scheme, world.SignedIn);
        var problems = new StringBuilder();
        Assert.NotEmpty(PortalPage.All);
        foreach (var portalPage in PortalPage.All)
        {
            var path = world.PathOf(portalPage);
            var page = portalPage.Anonymous ? await browser.NewPageAsync(world.Host.BaseAddress, width, scheme) : signedIn;
            if (SecondStepPages.Contains(portalPage.Template, StringComparison.Ordinal))
            {
                await PasswordStepAsync(page);
            }

            await OpenAsync(page, portalPage, path);
            var where = $"{path} at {width} px, {theme}";
            var landed = new Uri(page.Url).AbsolutePath;
            if (!string.Equals(landed, path.Split('?')[0], StringComparison.OrdinalIgnoreCase))
            {
                problems.AppendLine(CultureInfo.InvariantCulture, $"{where}: landed on {landed} instead");
            }

            await CheckPageAsync(page, where, width, theme, problems);
            if (Photographed.Contains(portalPage.Template))
            {
                await browser.ScreenshotAsync(page, portalPage.Slug);
            }

            if (portalPage.Anonymous)
            {
                await page.Context.CloseAsync();
            }
        }

        Assert.True(problems.Length == 0, "\n" + problems);
    }

    private static async Task CheckPageAsync(IPage page, string where, int width, string theme, StringBuilder problems)
    {
        var title = await page.TitleAsync();
        if (!TitlePattern().IsMatch(title))
        {
            problems.AppendLine(CultureInfo.InvariantCulture, $"{where}: title \"{title}\" is not \"<page> · TTP key server\"");
        }

        var mains = await page.Locator("main").CountAsync();
        var headings = await page.Locator("h1").CountAsync();
        if (mains != 1 || headings != 1)
        {
            problems.AppendLine(CultureInfo.InvariantCulture, $"{where}: {mains} <main> and {headings} <h1>, expected one of each");
        }

        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        if (IsDark(background) != (theme == "dark"))
        {
            problems.AppendLine(CultureInfo.InvariantCulture, $"{where}: the page background is {background}, not {theme}");
        }

        if (width < 600)
        {
            var scrollWidth = await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth");
            if (scrollWidth > width)
            {
                problems.AppendLine(CultureInfo.InvariantCulture, $"{where}: the page is {scrollWidth} px wide");
            }

            if (await page.Locator(".mud-appbar").CountAsync() == 1)
            {
                var bar = await page.Locator(".mud-appbar").BoundingBoxAsync();
                var toggle = await page.GetByTestId("theme-toggle").BoundingBoxAsync();
                if (bar is null || bar.Height > 64 || toggle is null || toggle.X + toggle.Width > width || toggle.Y > bar.Height)
                {
                    problems.AppendLine(CultureInfo.InvariantCulture, $"{where}: the app bar is not one line with the theme button on screen");
                }
            }
        }

        var axe = await page.RunAxe();
        foreach (var violation in axe.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            var targets = string.Join(" | ", violation.Nodes.Take(5).Select(n => n.Target?.ToString()));
            problems.AppendLine(CultureInfo.InvariantCulture, $"{where}: {violation.Impact} {violation.Id} ({violation.Help}) on {targets}");
        }
    }

    // Opens a page and waits until it is what a person sees: the circuit live and the theme applied (interactive pages),
    // nothing loading, its heading there. An interactive page shown after another one in the same tab is reached as a
    // person reaches it, by the portal's own navigation in the circuit already open (a new circuit for every page would
    // cost seconds each); the old page's heading is marked first, so that the check waits for the new page's own.
    private static async Task OpenAsync(IPage page, PortalPage portalPage, string path)
    {
        if (portalPage.Static || !await NavigateInCircuitAsync(page, path))
        {
            await page.GotoAsync(path);
        }

        if (!portalPage.Static)
        {
            await page.GetByTestId("circuit-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
            await page.WaitForFunctionAsync("() => document.querySelectorAll('.mud-progress-linear').length === 0", null, new() { Timeout = 20_000 });
        }

        try
        {
            await page.Locator("h1:not([data-a11y-seen])").First.WaitForAsync(new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            // Reported by the check: no h1.
        }
    }

    // Client-side navigation when this tab shows an interactive page; false (load the page) otherwise, or when the new
    // page did not replace the old heading (the same component under another route keeps its elements).
    private static async Task<bool> NavigateInCircuitAsync(IPage page, string path)
    {
        if (await page.GetByTestId("circuit-ready").CountAsync() == 0)
        {
            return false;
        }

        var title = await page.TitleAsync();
        await page.EvaluateAsync("() => document.querySelectorAll('h1').forEach(h => h.setAttribute('data-a11y-seen', ''))");
        await page.EvaluateAsync("path => Blazor.navigateTo(path)", path);
        try
        {
            await page.Locator("h1:not([data-a11y-seen])").First.WaitForAsync(new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            return false;
        }

        try
        {
            // The title is rendered by the head outlet, possibly a moment after the page.
            await page.WaitForFunctionAsync("old => document.title !== old", title, new() { Timeout = 3_000 });
        }
        catch (TimeoutException)
        {
            // Two pages with one title: the check reads it as it is.
        }

        return true;
    }

    // The sign-in pages' second step: the password of a user with an authenticator accepted, the code still to come.
    private static async Task PasswordStepAsync(IPage page)
    {
        await page.GotoAsync("account/login");
        await page.GetByLabel("E-mail").FillAsync(AccessibilityWorld.Officer);
        await page.GetByLabel("Password").FillAsync(Ttp.Portal.Tests.PortalHost.StaffPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/account/login-with-2fa**");
    }

    // "rgb(r, g, b)" or "rgba(r, g, b, a)"; transparent is the white canvas.
    private static bool IsDark(string cssColor)
    {
        var parts = ColorPattern().Matches(cssColor).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
        if (parts.Length < 3 || (parts.Length == 4 && parts[3] == 0))
        {
            return false;
        }

        return (0.2126 * parts[0]) + (0.7152 * parts[1]) + (0.0722 * parts[2]) < 128;
    }

    [GeneratedRegex(@"^\S.* · TTP key server$")]
    private static partial Regex TitlePattern();

    [GeneratedRegex(@"[0-9.]+")]
    private static partial Regex ColorPattern();
}
