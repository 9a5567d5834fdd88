using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ttp.Domain.Staff;
using Ttp.Portal.Tests;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// One date format, grouped thumbprints and audit actions in words, in a real browser against the real portal (Kestrel,
/// TLS, SQLite), at 1280 and 390 px: a Security officer looks at a TSM's page (certificate thumbprint in colon-separated
/// bytes, copied with its button; every time as <c>yyyy-MM-dd HH:mm:ss UTC</c>; the timeline in words with the code in
/// a tooltip), then at the staff actions and one record's drawer; an Administrator's dashboard and staff page show actions
/// and roles in words. Screenshots <c>ux-consistency-NN-*.png</c>.
/// </summary>
public sealed partial class UxConsistencyJourneyTests
{
    private const string Officer = "officer@ttp.example";
    private const string Administrator = "admin@ttp.example";

    [Fact]
    public async Task Journey_TsmPageAndAuditAt1280And390_OneTimeFormatGroupedThumbprintActionsInWords()
    {
        using var host = new PortalHost();
        using var acme = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", acme, "A0000001");
        await host.SeedStaffAsync(Officer, [StaffRoles.SecurityOfficer], TestTotp.Key);
        await host.SeedStaffAsync(Administrator, [StaffRoles.Administrator], TestTotp.Key);
        var grouped = string.Join(':', Convert.ToHexString(SHA256.HashData(acme.RawData)).Chunk(2).Select(c => new string(c)));

        await using var browser = await Browser.LaunchAsync("ux-consistency");
        var page = await browser.NewPageAsync(host.BaseAddress);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await PageSteps.SignInAsync(page, Officer, TestTotp.Key);

        // 1. The TSM's page at 1280 px: the thumbprint grouped, every moment in the one format, actions in words.
        await PageSteps.GoToAsync(page, "tsms/acme");
        var thumbprint = page.GetByTestId("certificate-thumbprint");
        await Assertions.Expect(thumbprint.GetByTestId("thumbprint-value")).ToHaveTextAsync(grouped);
        await Assertions.Expect(page.GetByTestId("tsm-timeline")).ToContainTextAsync("TSM approved");
        await AssertOneTimeFormatAsync(page);
        await browser.ScreenshotAsync(page, "tsm-1280");

        // The copy button puts the grouped thumbprint on the clipboard.
        var copy = thumbprint.GetByRole(AriaRole.Button, new() { Name = "Copy the SHA-256 thumbprint" });
        await copy.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-tooltip").Filter(new() { HasText = "Copied" })).ToBeVisibleAsync();
        Assert.Equal(grouped, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // The code of an action is one hover away.
        await page.GetByTestId("tsm-timeline").GetByText("TSM approved").HoverAsync();
        await Assertions.Expect(page.Locator(".mud-tooltip").Filter(new() { HasText = "tsm.approved" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "tsm-action-code");

        // 2. At 390 px the thumbprint wraps between bytes inside the screen's width.
        await page.SetViewportSizeAsync(390, 844);
        var box = await thumbprint.GetByTestId("thumbprint-value").BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Width <= 390, $"the thumbprint is {box.Width} px wide at 390 px");
        Assert.True(box.Height > 30, "the thumbprint wraps onto several lines at 390 px");
        await browser.ScreenshotAsync(page, "tsm-390");

        // 3. Staff actions at 1280 px: actions in words (code kept for search), times in the one format.
        await page.SetViewportSizeAsync(1280, 900);
        await PageSteps.GoToAsync(page, "audit/actions?action=tsm.registered");
        var action = page.GetByTestId("row-action").First;
        await Assertions.Expect(action).ToHaveTextAsync("TSM registered");
        await Assertions.Expect(action).ToHaveAttributeAsync("data-code", "tsm.registered");
        await Assertions.Expect(page.GetByTestId("row-time").First).ToHaveTextAsync(TimePattern());
        await AssertOneTimeFormatAsync(page);
        await browser.ScreenshotAsync(page, "audit-1280");

        // The record's drawer: the action in words, the recorded certificate's thumbprint grouped, its times in the format.
        await PageSteps.ClickUntilAsync(page.GetByTestId("open-record").First, page.GetByTestId("record-detail"));
        await Assertions.Expect(page.GetByTestId("record-action")).ToHaveTextAsync("TSM registered");
        await Assertions.Expect(page.GetByTestId("record-thumbprint").GetByTestId("thumbprint-value")).ToHaveTextAsync(grouped);
        await AssertOneTimeFormatAsync(page);
        await browser.ScreenshotAsync(page, "audit-record-1280");

        // 4. The same at 390 px.
        await page.SetViewportSizeAsync(390, 844);
        var drawerThumbprint = await page.GetByTestId("record-thumbprint").GetByTestId("thumbprint-value").BoundingBoxAsync();
        Assert.NotNull(drawerThumbprint);
        Assert.True(drawerThumbprint.Width <= 390, $"the recorded thumbprint is {drawerThumbprint.Width} px wide at 390 px");
        await browser.ScreenshotAsync(page, "audit-record-390");
        await page.GetByTestId("record-close").ClickAsync();
        await browser.ScreenshotAsync(page, "audit-390");

        // 5. An Administrator's dashboard and staff page: recent actions and roles in words.
        var admin = await browser.NewPageAsync(host.BaseAddress);
        await PageSteps.SignInAsync(admin, Administrator, TestTotp.Key);
        await PageSteps.GoToAsync(admin, string.Empty);
        await Assertions.Expect(admin.GetByTestId("recent-actions")).ToContainTextAsync("Staff member added");
        await Assertions.Expect(admin.GetByTestId("recent-actions")).Not.ToContainTextAsync("user.added");
        await AssertOneTimeFormatAsync(admin);
        await browser.ScreenshotAsync(admin, "dashboard-1280");
        await PageSteps.GoToAsync(admin, "staff");
        await Assertions.Expect(admin.Locator("[data-testid=staff-role][data-role=SecurityOfficer]")).ToHaveTextAsync("Security officer");
        await Assertions.Expect(admin.GetByTestId("staff-grid")).Not.ToContainTextAsync("SecurityOfficer");
        await browser.ScreenshotAsync(admin, "staff-1280");
    }

    // Every date-time shown is "yyyy-MM-dd HH:mm:ss UTC": none with a T, a Z, an offset or a bare minute. Input helpers
    // are left out: a filter field's example is what it accepts (ISO 8601, as in the URL), not a moment shown.
    private static async Task AssertOneTimeFormatAsync(IPage page)
    {
        var text = await page.EvaluateAsync<string>(
            "() => { const b = document.body.cloneNode(true); b.querySelectorAll('.mud-input-helper-text, script, style').forEach(e => e.remove()); return b.textContent; }");
        Assert.Matches(TimePattern(), text);
        Assert.DoesNotMatch(OtherTimeFormats(), text);
    }

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}|\d{2}:\d{2}(:\d{2})?Z\b|[+-]00:00\b|\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?!:\d{2} UTC)|\d{2}/\d{2}/\d{4}")]
    private static partial Regex OtherTimeFormats();
}
