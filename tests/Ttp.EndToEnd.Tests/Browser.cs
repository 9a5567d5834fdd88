using Microsoft.Playwright;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright's bundled driver (docs/STACK.md: never <c>playwright install</c>), headless, with
/// the self-signed test certificate accepted. Screenshots of each step go to <see cref="ArtifactsDirectory"/>
/// (<c>TTP_TEST_ARTIFACTS</c>, which scripts/test.sh points at TestResults/screenshots).
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _scenario;
    private int _step;

    private Browser(IPlaywright playwright, IBrowser browser, string scenario)
    {
        _playwright = playwright;
        _browser = browser;
        _scenario = scenario;
    }

    public static string ArtifactsDirectory =>
        Environment.GetEnvironmentVariable("TTP_TEST_ARTIFACTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<Browser> LaunchAsync(string scenario)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (scripts/test.sh does)");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArguments,
        });
        return new Browser(playwright, browser, scenario);
    }

    /// <summary>A fresh browser context (its own cookies) on <paramref name="baseUrl"/>: one per staff member.</summary>
    public async Task<IPage> NewPageAsync(Uri baseUrl)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A fresh browser context <paramref name="width"/> px wide in the system colour scheme <paramref name="colorScheme"/>
    /// (prefers-color-scheme), signed in when given the <paramref name="storageState"/> of a signed-in context.
    /// </summary>
    public async Task<IPage> NewPageAsync(Uri baseUrl, int width, ColorScheme colorScheme, string? storageState = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
            ColorScheme = colorScheme,
            StorageState = storageState,
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Saves a full-page screenshot named after the scenario, a step number and <paramref name="name"/>; the elements of
    /// <paramref name="mask"/> (a secret on screen, such as an enrolment link) are painted over.
    /// </summary>
    public async Task ScreenshotAsync(IPage page, string name, params ILocator[] mask)
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        var file = Path.Combine(ArtifactsDirectory, $"{_scenario}-{++_step:D2}-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true, Mask = mask });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
