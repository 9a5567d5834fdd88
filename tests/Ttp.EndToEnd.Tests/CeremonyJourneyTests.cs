using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ttp.Crypto.KeyBlocks;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Staff;
using Ttp.Domain.KeyRequests;
using Ttp.Portal.Tests;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// Key ceremonies in real browsers against the real portal (Kestrel, TLS, SQLite, password and TOTP), each custodian in
/// their own browser context: two custodians import the master key of a published EMV CPS vector and the Security officer
/// confirms and activates it, after which <c>WSGetDiversifiedKeys</c> returns that vector's keys; three custodians each
/// receive one component of a generated KEK on a printable sheet, and the TSM's answer unwraps under the XOR of the three.
/// No component is left in the database, the logs or any page after its step; screenshots mask the generated components
/// (<c>ceremony-*.png</c>).
/// </summary>
public sealed class CeremonyJourneyTests
{
    private const string Iin = "A0000001";
    private const string Officer = "officer@ttp.example";
    private const string Auditor = "auditor@ttp.example";
    private static readonly string[] Custodians = ["kc1@ttp.example", "kc2@ttp.example", "kc3@ttp.example"];

    // OpenJavaCard/openjavacard-tools src/test/java/org/openjavacard/gp/scp/SCPDiversificationTest.java,
    // testDiversifyEMV_0102030405060708090A: master key 40..4F, KDD 0102030405060708090A, ENC, MAC and DEK keys (EMV CPS 1.1).
    private const string VectorMaster = "404142434445464748494A4B4C4D4E4F";
    private const string VectorKdd = "0102030405060708090A";
    private static readonly string[] VectorKeys = ["6438A05AC377DF302423BC5E2038FB5B", "5A9402DDABC5B9497BBECE0884929B83", "ACB4C129B3912FB782A4EAEE043BAE95"];

    [Fact]
    public async Task Journey_TwoCustodiansImportEmvCpsMasterKey_SoapDeliversVectorKeys()
    {
        using var host = new PortalHost();
        host.StartServer();
        await SeedStaffAsync(host);
        using var certificate = TestClientCertificates.Create("acme-tsm");
        await host.RegisterTsmAsync("acme", certificate, Iin);
        var kek = RandomNumberGenerator.GetBytes(16);
        await host.AddKekAsync("acme", 1, KekAlgorithm.Aes128, KekFormat.Tr31, kek);
        var mask = RandomNumberGenerator.GetBytes(16);
        var components = new[] { Convert.ToHexString(Xor(Convert.FromHexString(VectorMaster), mask)), Convert.ToHexString(mask) };
        await using var browser = await Browser.LaunchAsync("ceremony-import");

        // 1. The Security officer opens the ceremony: issuer key A0000001/FF, SCP02, EMV CPS 1.1, any two custodians (naming
        // them is covered by the page tests: MudBlazor's multi-select list can linger over the dialog in a real browser).
        var officer = await browser.NewPageAsync(host.BaseAddress);
        await PageSteps.SignInAsync(officer, Officer, TestTotp.Key);
        await PageSteps.FollowLinkAsync(officer, "Ceremonies", "ceremonies");
        var dialog = officer.Locator(".mud-dialog");
        await PageSteps.ClickUntilAsync(officer.GetByTestId("ceremonies-open"), dialog);
        await ChooseAsync(officer, "kind-select", "Import issuer master key");
        await dialog.GetByTestId("iin-input").FillAsync(Iin);
        await dialog.GetByTestId("kvn-input").FillAsync("255");
        await ChooseAsync(officer, "scheme-select", "SCP02");
        await ChooseAsync(officer, "method-select", "EMV CPS 1.1");
        await browser.ScreenshotAsync(officer, "open-dialog");
        await dialog.GetByTestId("open-submit").ClickAsync();
        await officer.WaitForURLAsync("**/ceremonies/*-*-*-*-*");
        var ceremonyPath = new Uri(officer.Url).AbsolutePath.TrimStart('/');
        await Assertions.Expect(officer.GetByTestId("ceremony-state")).ToHaveTextAsync("Open");
        Assert.Equal(0, await officer.GetByTestId("component-input").CountAsync());
        await browser.ScreenshotAsync(officer, "opened");

        // 2. Each custodian, in their own browser, finds the task on the dashboard and enters their component with its
        // check value; a wrong check value is refused first.
        for (var i = 0; i < 2; i++)
        {
            var custodian = await browser.NewPageAsync(host.BaseAddress);
            await PageSteps.SignInAsync(custodian, Custodians[i], TestTotp.Key);
            // The task links to the ceremony; the page is opened with a full load (after an in-app navigation from the
            // dashboard the page's content sometimes never arrived in CI: noticed, under investigation).
            await Assertions.Expect(custodian.GetByTestId("ceremony-task-link").First).ToHaveAttributeAsync("href", ceremonyPath);
            await PageSteps.GoToAsync(custodian, ceremonyPath);
            var input = custodian.GetByTestId("component-input");
            Assert.Equal("password", await input.GetAttributeAsync("type"));
            await input.FillAsync(components[i]);
            if (i == 0)
            {
                await custodian.GetByTestId("component-kcv-input").FillAsync("000000");
                await custodian.GetByTestId("component-submit").ClickAsync();
                await Assertions.Expect(custodian.GetByText("check value does not match")).ToBeVisibleAsync();
                await browser.ScreenshotAsync(custodian, "wrong-check-value");
                await input.FillAsync(components[i]);
            }

            await custodian.GetByTestId("component-kcv-input").FillAsync(DesKcv(Convert.FromHexString(components[i])));
            await browser.ScreenshotAsync(custodian, $"custodian-{i + 1}-enters");
            await custodian.GetByTestId("component-submit").ClickAsync();
            await Assertions.Expect(custodian.GetByTestId("component-entered")).ToBeVisibleAsync();
            await browser.ScreenshotAsync(custodian, $"custodian-{i + 1}-entered");
            await AssertNotOnPageAsync(custodian, components);
            // The entry form is gone (the custodian holds a component now) or, if shown, empty.
            Assert.True(await custodian.GetByTestId("component-input").CountAsync() == 0
                || await custodian.GetByTestId("component-input").InputValueAsync() == string.Empty);
        }

        // 3. The Security officer confirms the final check value the issuer documented, then activates the key set.
        await PageSteps.GoToAsync(officer, ceremonyPath);
        await Assertions.Expect(officer.GetByTestId("ceremony-state")).ToHaveTextAsync("Awaiting confirmation");
        await officer.GetByTestId("confirm-kcv-input").FillAsync(DesKcv(Convert.FromHexString(VectorMaster)));
        await officer.GetByTestId("confirm-submit").ClickAsync();
        await Assertions.Expect(officer.GetByTestId("ceremony-state")).ToHaveTextAsync("Completed");
        await browser.ScreenshotAsync(officer, "confirmed");
        await PageSteps.ClickUntilAsync(officer.GetByTestId("activate-key"), dialog);
        await dialog.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(officer.GetByTestId("key-state")).ToHaveTextAsync("Active");
        await browser.ScreenshotAsync(officer, "activated");
        await Assertions.Expect(officer.GetByTestId("ceremony-timeline")).ToContainTextAsync(Custodians[1]);

        // 4. The TSM asks for the card's keys: the published vector's keys, wrapped under its KEK.
        await host.Services.GetRequiredService<AccreditedCertificates>().RefreshAsync();
        using (var soap = host.CreateSoapClient(certificate))
        {
            var reply = await SoapWire.PostAsync(soap, SoapWire.Request(kdd: VectorKdd, iin: Iin));
            Assert.False(reply.IsFault, reply.Body);
            var delivered = reply.Keys.Select(k =>
            {
                using var unwrapped = Tr31KeyBlock.Unwrap(kek, reply.Value(k, "KeyBlock"));
                return Convert.ToHexString(unwrapped.Key);
            });
            Assert.Equal(VectorKeys, delivered);
        }

        // 5. The Auditor reads the ceremony and its timeline, and can do nothing.
        var auditor = await browser.NewPageAsync(host.BaseAddress);
        await PageSteps.SignInAsync(auditor, Auditor, null);
        await PageSteps.GoToAsync(auditor, ceremonyPath);
        await Assertions.Expect(auditor.GetByTestId("ceremony-timeline")).ToContainTextAsync(Custodians[0]);
        foreach (var action in new[] { "component-input", "confirm-submit", "abort-ceremony", "activate-key" })
        {
            Assert.Equal(0, await auditor.GetByTestId(action).CountAsync());
        }

        await browser.ScreenshotAsync(auditor, "auditor-read-only");
        await AssertNowhereAsync(host, [officer, auditor], [.. components, VectorMaster]);
    }

    [Fact]
    public async Task Journey_ThreeCustodiansReceiveGeneratedKek_TsmAnswerUnwrapsWithTheirXor()
    {
        using var host = new PortalHost();
        host.StartServer();
        await SeedStaffAsync(host);
        using var certificate = TestClientCertificates.Create("acme-tsm");
        await host.RegisterTsmAsync("acme", certificate, Iin);
        await host.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Convert.FromHexString(VectorMaster));
        await using var browser = await Browser.LaunchAsync("ceremony-generate");

        // 1. The Security officer opens a GenerateKek ceremony for the TSM's KEK 2 (AES-128, TR-31), three components.
        var officer = await browser.NewPageAsync(host.BaseAddress);
        await PageSteps.SignInAsync(officer, Officer, TestTotp.Key);
        await PageSteps.GoToAsync(officer, "ceremonies");
        var dialog = officer.Locator(".mud-dialog");
        await PageSteps.ClickUntilAsync(officer.GetByTestId("ceremonies-open"), dialog);
        await ChooseAsync(officer, "kind-select", "Generate KEK");
        await ChooseAsync(officer, "tsm-select", "acme");
        await dialog.GetByTestId("kek-index-input").FillAsync("2");
        await ChooseAsync(officer, "algorithm-select", "AES-128");
        await dialog.GetByTestId("components-input").FillAsync("3");
        await browser.ScreenshotAsync(officer, "open-dialog");
        await dialog.GetByTestId("open-submit").ClickAsync();
        await officer.WaitForURLAsync("**/ceremonies/*-*-*-*-*");
        var ceremonyPath = new Uri(officer.Url).AbsolutePath.TrimStart('/');

        // 2. Each custodian receives their own component once, on a sheet that prints, and acknowledges it.
        var components = new List<byte[]>();
        var pages = new List<IPage> { officer };
        string? finalKcv = null;
        for (var i = 0; i < 3; i++)
        {
            var custodian = await browser.NewPageAsync(host.BaseAddress);
            pages.Add(custodian);
            await PageSteps.SignInAsync(custodian, Custodians[i], TestTotp.Key);
            await PageSteps.GoToAsync(custodian, ceremonyPath);
            var sheet = custodian.GetByTestId("component-sheet");
            await PageSteps.ClickUntilAsync(custodian.GetByTestId("receive-component"), sheet);
            var component = Convert.FromHexString((await sheet.GetByTestId("sheet-component").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal).Trim());
            Assert.Equal(16, component.Length);
            Assert.Equal(AesKcv(component), (await sheet.GetByTestId("sheet-kcv").InnerTextAsync()).Trim());
            finalKcv ??= (await sheet.GetByTestId("sheet-final-kcv").InnerTextAsync()).Trim();
            Assert.Equal(finalKcv, (await sheet.GetByTestId("sheet-final-kcv").InnerTextAsync()).Trim());
            await Assertions.Expect(sheet).ToContainTextAsync($"{i + 1} of 3");
            Assert.DoesNotContain(components, c => c.SequenceEqual(component));
            components.Add(component);
            await browser.ScreenshotAsync(custodian, $"custodian-{i + 1}-sheet", sheet.GetByTestId("sheet-component"));

            // The sheet is what prints: on paper the navigation is gone and the sheet remains.
            await custodian.EmulateMediaAsync(new() { Media = Media.Print });
            await Assertions.Expect(sheet).ToBeVisibleAsync();
            await Assertions.Expect(custodian.Locator(".mud-appbar")).ToBeHiddenAsync();
            Assert.NotEmpty(await custodian.PdfAsync());
            await custodian.EmulateMediaAsync(new() { Media = Media.Screen });

            await custodian.GetByTestId("sheet-acknowledge").ClickAsync();
            await Assertions.Expect(sheet).ToHaveCountAsync(0);
            await custodian.ReloadAsync();
            await custodian.GetByTestId("circuit-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            Assert.Equal(0, await custodian.GetByTestId("receive-component").CountAsync());
            Assert.Equal(0, await custodian.GetByTestId("component-sheet").CountAsync());
            await AssertNotOnPageAsync(custodian, [Convert.ToHexString(component)]);
            await browser.ScreenshotAsync(custodian, $"custodian-{i + 1}-acknowledged");
        }

        // Each saw only their own: no page shows another's component.
        var kek = components.Aggregate(new byte[16], Xor);
        Assert.Equal(AesKcv(kek), finalKcv);

        // 3. The Security officer confirms the check value the TSM reports after loading the components, and activates.
        await PageSteps.GoToAsync(officer, ceremonyPath);
        await officer.GetByTestId("confirm-kcv-input").FillAsync(AesKcv(kek));
        await officer.GetByTestId("confirm-submit").ClickAsync();
        await Assertions.Expect(officer.GetByTestId("ceremony-state")).ToHaveTextAsync("Completed");
        await PageSteps.ClickUntilAsync(officer.GetByTestId("activate-key"), dialog);
        await dialog.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(officer.GetByTestId("key-state")).ToHaveTextAsync("Active");
        await browser.ScreenshotAsync(officer, "activated");

        // 4. The TSM's request names KEK 2: the keys unwrap under the XOR of the three components.
        await host.Services.GetRequiredService<AccreditedCertificates>().RefreshAsync();
        using (var soap = host.CreateSoapClient(certificate))
        {
            var reply = await SoapWire.PostAsync(soap, SoapWire.Request(kdd: VectorKdd, iin: Iin, kekIndex: "2"));
            Assert.False(reply.IsFault, reply.Body);
            Assert.Equal(AesKcv(kek), reply.ResponseValue("KekCheckValue"));
            var delivered = reply.Keys.Select(k =>
            {
                using var unwrapped = Tr31KeyBlock.Unwrap(kek, reply.Value(k, "KeyBlock"));
                return Convert.ToHexString(unwrapped.Key);
            });
            Assert.Equal(VectorKeys, delivered);
        }

        await AssertNowhereAsync(host, pages, [.. components.Select(Convert.ToHexString), Convert.ToHexString(kek)]);
    }

    private static async Task SeedStaffAsync(PortalHost host)
    {
        await host.SeedStaffAsync(Officer, [StaffRoles.SecurityOfficer], TestTotp.Key);
        foreach (var custodian in Custodians)
        {
            await host.SeedStaffAsync(custodian, [StaffRoles.KeyCustodian], TestTotp.Key);
        }

        await host.SeedStaffAsync(Auditor, [StaffRoles.Auditor]);
    }

    // Picks options of a MudSelect by their text (several for a multi-select), then closes its list.
    private static async Task ChooseAsync(IPage page, string testId, params string[] options)
    {
        await page.GetByTestId(testId).ClickAsync();
        foreach (var option in options)
        {
            await page.Locator(".mud-popover-open .mud-list-item").GetByText(option, new() { Exact = true }).ClickAsync();
        }

        // A multi-select stays open after a choice; a closing list still covers the dialog for a moment. Escape closes
        // the list (pressed only while one is open, so it never closes the dialog), until none is left.
        var open = page.Locator(".mud-popover-open");
        for (var attempt = 0; attempt < 5 && await open.CountAsync() > 0; attempt++)
        {
            await page.Keyboard.PressAsync("Escape");
            try
            {
                await Assertions.Expect(open).ToHaveCountAsync(0, new() { Timeout = 1_000 });
            }
            catch (PlaywrightException)
            {
                // still closing or not closed: look again
            }
        }

        await Assertions.Expect(open).ToHaveCountAsync(0);
    }

    private static async Task AssertNotOnPageAsync(IPage page, IEnumerable<string> secrets)
    {
        var content = await page.ContentAsync();
        var compact = content.Replace(" ", string.Empty, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, compact, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task AssertNowhereAsync(PortalHost host, IEnumerable<IPage> pages, IReadOnlyList<string> secrets)
    {
        var stored = await host.StoredTextAsync();
        var logs = string.Join('\n', host.Log.Lines.Select(l => l.Message));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, stored, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, logs, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var page in pages)
        {
            await AssertNotOnPageAsync(page, secrets);
        }
    }

    private static byte[] Xor(byte[] a, byte[] b) => [.. a.Zip(b, (x, y) => (byte)(x ^ y))];

    private static string AesKcv(byte[] key)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToHexString(aes.EncryptEcb(Enumerable.Repeat((byte)0x01, 16).ToArray(), PaddingMode.None), 0, 3);
    }

    private static string DesKcv(byte[] key)
    {
#pragma warning disable CA5350 // An SCP02 key's check value is TDES by definition.
        using var des = TripleDES.Create();
#pragma warning restore CA5350
        des.Key = [.. key, .. key.AsSpan(0, 8)];
        return Convert.ToHexString(des.EncryptEcb(new byte[8], PaddingMode.None), 0, 3).ToUpper(CultureInfo.InvariantCulture);
    }
}
