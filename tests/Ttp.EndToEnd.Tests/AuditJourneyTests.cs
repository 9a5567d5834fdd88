using System.Security.Cryptography;
using Microsoft.Playwright;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Staff;
using Ttp.Portal.Tests;
using Ttp.Portal.Tests.Soap;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// The auditor's workspace in a real browser against the real portal (Kestrel, TLS, SQLite), after real key requests over
/// mutual TLS from two TSMs that both ask for one card: an Auditor filters the key requests by TSM and outcome, opens a
/// record, exports the view as CSV and checks its rows, runs the chain verification to completion; the test then alters
/// one record in the database and the next verification names it; last the Auditor acknowledges the alert raised because
/// two TSMs asked for the same card. Screenshots <c>audit-NN-*.png</c>.
/// </summary>
public sealed class AuditJourneyTests
{
    private const string Iin = "A0000001";
    private const string SharedCard = "0102030405060708090A";
    private const string AcmeOnlyCard = "1112131415161718191A";
    private const string Auditor = "auditor@ttp.example";

    [Fact]
    public async Task Journey_AuditorFiltersExportsVerifiesFindsTheAlteredRecordAndAcknowledgesTheAlert()
    {
        using var host = new PortalHost(new Dictionary<string, string> { ["Ttp:Alerts:ScanSeconds"] = "1" });
        using var acme = TestClientCertificates.Create("acme");
        using var globex = TestClientCertificates.Create("globex");
        await host.RegisterTsmAsync("acme", acme, Iin);
        await host.RegisterTsmAsync("globex", globex, Iin);
        foreach (var tsm in new[] { "acme", "globex" })
        {
            var kek = RandomNumberGenerator.GetBytes(16);
            await host.AddKekAsync(tsm, 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, kek);
            CryptographicOperations.ZeroMemory(kek);
        }

        var master = RandomNumberGenerator.GetBytes(16);
        await host.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, master);
        CryptographicOperations.ZeroMemory(master);
        await host.SeedStaffAsync(Auditor, [StaffRoles.Auditor]);

        // Key requests as TSMs make them: acme asks for two cards (answered) and once with a KVN its template lacks
        // (refused); globex asks for acme's first card.
        using (var client = host.CreateSoapClient(acme))
        {
            await AnsweredAsync(client, SharedCard);
            await AnsweredAsync(client, AcmeOnlyCard);
            var refused = await SoapWire.PostAsync(client, SoapWire.Request(kdd: SharedCard, kvn: "32"));
            refused.AssertCleanFault("InvalidRequest");
        }

        using (var client = host.CreateSoapClient(globex))
        {
            await AnsweredAsync(client, SharedCard);
        }

        await using var browser = await Browser.LaunchAsync("audit");
        var page = await browser.NewPageAsync(host.BaseAddress);
        await PageSteps.SignInAsync(page, Auditor, null);

        // 1. Key requests from the menu; filter by TSM and outcome: the filter goes into the URL.
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Key requests" })).ToHaveAttributeAsync("href", "audit/key-requests");
        await PageSteps.GoToAsync(page, "audit/key-requests");
        try
        {
            await Assertions.Expect(page.GetByTestId("row-outcome")).ToHaveCountAsync(4, new() { Timeout = 20_000 });
        }
        catch (PlaywrightException)
        {
            await browser.ScreenshotAsync(page, "failed-grid");
            await File.WriteAllTextAsync(Path.Combine(Browser.ArtifactsDirectory, "failed-grid.html"), await page.ContentAsync());
            throw;
        }

        await page.GetByTestId("filter-tsm").GetByRole(AriaRole.Textbox).FillAsync("acme");
        await page.GetByTestId("filter-outcome").GetByRole(AriaRole.Textbox).FillAsync("ok");
        await page.GetByTestId("filter-apply").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/audit/key-requests\\?tsm=acme&outcome=ok$"));
        var outcomes = page.GetByTestId("row-outcome");
        await Assertions.Expect(outcomes).ToHaveCountAsync(2);
        await Assertions.Expect(outcomes.First).ToHaveTextAsync("ok");
        await browser.ScreenshotAsync(page, "filtered");

        // 2. One record's detail: every field, the check values, the chain hash.
        await page.GetByTestId("open-record").First.ClickAsync();
        var detail = page.GetByTestId("record-detail");
        await Assertions.Expect(detail).ToBeVisibleAsync();
        await Assertions.Expect(detail.GetByTestId("record-fields")).ToContainTextAsync("Check value ENC");
        await Assertions.Expect(detail.GetByTestId("record-fields")).ToContainTextAsync("acme");
        await Assertions.Expect(detail.GetByTestId("record-hash")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
        await browser.ScreenshotAsync(page, "detail");
        await detail.GetByTestId("record-close").ClickAsync();

        // 3. Export the filtered view as CSV: the two answered requests of acme, nothing else.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var lines = (await File.ReadAllTextAsync(await download.PathAsync())).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sequence,occurred_at,stream,action,actor,subject,outcome,details,hash", lines[0]);
        Assert.Equal(2, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.Contains(",KeyRequest,key-request,tsm:acme,", l, StringComparison.Ordinal));
        Assert.Contains(lines.Skip(1), l => l.Contains(SharedCard, StringComparison.Ordinal));
        Assert.Contains(lines.Skip(1), l => l.Contains(AcmeOnlyCard, StringComparison.Ordinal));

        // 4. The whole chain verified in the background, to completion.
        await PageSteps.GoToAsync(page, "audit/integrity");
        var result = page.GetByTestId("verify-result");
        await PageSteps.ClickUntilAsync(page.GetByTestId("verify"), page.GetByTestId("verify-progress").Or(result));
        await Assertions.Expect(result).ToContainTextAsync("Intact:", new() { Timeout = 60_000 });
        await browser.ScreenshotAsync(page, "verified");

        // 5. Someone with database access alters one record; the next verification names it.
        var altered = (await SoapWire.KeyRequestRecordsAsync(host, "globex")).Single().Sequence;
        Assert.Equal(1, await host.ExecuteSqlAsync(
            $"UPDATE audit_events SET details = replace(details, '\"tsm\":\"globex\"', '\"tsm\":\"acme\"') WHERE sequence = {altered}"));
        await PageSteps.GoToAsync(page, "audit/integrity");
        await PageSteps.ClickUntilAsync(page.GetByTestId("verify"), page.GetByTestId("verify-progress").Or(page.GetByText("Broken at record")));
        await Assertions.Expect(result).ToContainTextAsync($"Broken at record {altered:N0}", new() { Timeout = 60_000 });
        await browser.ScreenshotAsync(page, "broken");

        // 6. The alert raised because two TSMs asked for the same card, acknowledged with a note.
        var alertRow = page.GetByTestId("alert-row").Filter(new() { HasText = "Same card, two TSMs" });
        for (var attempt = 0; attempt < 30 && await alertRow.CountAsync() == 0; attempt++)
        {
            await PageSteps.GoToAsync(page, "audit/alerts");
            await Task.Delay(attempt == 0 ? 0 : 1_000);
        }

        await Assertions.Expect(alertRow).ToHaveCountAsync(1);
        await Assertions.Expect(alertRow.GetByTestId("alert-subject")).ToContainTextAsync(SharedCard);
        await browser.ScreenshotAsync(page, "alert");
        var dialog = page.Locator(".mud-dialog");
        await PageSteps.ClickUntilAsync(alertRow.GetByTestId("acknowledge"), dialog);
        await dialog.GetByLabel("Note (optional)").FillAsync("card moved from acme to globex, confirmed with both");
        await dialog.GetByTestId("acknowledge-confirm").ClickAsync();
        await Assertions.Expect(alertRow).ToHaveCountAsync(0);
        await page.GetByTestId("show-acknowledged").ClickAsync();
        await Assertions.Expect(alertRow.GetByTestId("alert-state")).ToContainTextAsync("Acknowledged by user:" + Auditor);
        await browser.ScreenshotAsync(page, "acknowledged");
    }

    private static async Task AnsweredAsync(HttpClient client, string kdd)
    {
        var reply = await SoapWire.PostAsync(client, SoapWire.Request(kdd: kdd));
        Assert.True(reply.Status == System.Net.HttpStatusCode.OK, $"{reply.Status} {reply.Body}");
    }
}
