using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages.Audit;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Audit;

/// <summary>
/// The key-request search over the real domain and a real SQLite database: the filter read from and written to the URL,
/// malformed values named on their fields, keyset pages, the record drawer.
/// </summary>
public sealed class KeyRequestsPageTests
{
    private const string Auditor = "auditor@ttp.example";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Render_FilterInUrl_FillsTheFieldsAndListsOnlyMatchingRequestsNewestFirst(DatabaseProvider provider)
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor, provider);
        var samples = await AuditPageData.AppendKeyRequestsAsync(domain, 30);
        domain.Context.Render<MudPopoverProvider>();
        Navigation(domain).NavigateTo("audit/key-requests?tsm=acme&kvn=2");

        var cut = domain.Context.Render<KeyRequestsPage>();

        var expected = samples.Where(s => s.Tsm == "acme" && s.Kvn == 2).OrderByDescending(s => s.Sequence).ToList();
        await cut.WaitForAssertionAsync(() => Assert.Equal(expected.Count, cut.FindAll("[data-testid=open-record]").Count), AuditPageData.Wait);
        Assert.Equal(expected.Select(s => s.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            cut.FindAll("[data-testid=open-record]").Select(b => b.GetAttribute("data-sequence")));
        Assert.Equal(AuditDisplayTime(expected[0].At), cut.FindAll("[data-testid=row-time]")[0].TextContent);
        Assert.Equal("acme", cut.Find("[data-testid=filter-tsm] input").GetAttribute("value"));
        Assert.Equal("2", cut.Find("[data-testid=filter-kvn] input").GetAttribute("value"));
        Assert.Equal("audit/export/key-requests?format=csv&tsm=acme&kvn=2", cut.Find("[data-testid=export-csv]").GetAttribute("href"));
        Assert.Equal("audit/export/key-requests?format=jsonl&tsm=acme&kvn=2", cut.Find("[data-testid=export-jsonl]").GetAttribute("href"));
        Assert.Equal("Page 1", cut.Find("[data-testid=page-number]").TextContent);
        Assert.True(cut.Find("[data-testid=page-next]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Apply_FormValues_WritesTheFilterToTheUrlAndSearches()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        var samples = await AuditPageData.AppendKeyRequestsAsync(domain, 20);
        domain.Context.Render<MudPopoverProvider>();
        Navigation(domain).NavigateTo("audit/key-requests");
        var cut = domain.Context.Render<KeyRequestsPage>();
        await cut.WaitForAssertionAsync(() => Assert.Equal(20, cut.FindAll("[data-testid=open-record]").Count), AuditPageData.Wait);

        AuditPageData.Type(cut, "tsm", "globex");
        AuditPageData.Type(cut, "outcome", "ScopeDenied");
        AuditPageData.Type(cut, "from", "2026-12-01T08:05:00Z");
        cut.Find("[data-testid=filter-apply] ").Click();

        Assert.EndsWith("/audit/key-requests?tsm=globex&outcome=ScopeDenied&from=2026-12-01T08:05:00Z", Navigation(domain).Uri, StringComparison.Ordinal);
        var expected = samples.Where(s => s.Tsm == "globex" && s.Outcome == "ScopeDenied" && s.At >= AuditPageData.Start.AddMinutes(5))
            .OrderByDescending(s => s.Sequence).Select(s => s.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(expected);
        await cut.WaitForAssertionAsync(() => Assert.Equal(expected, cut.FindAll("[data-testid=open-record]").Select(b => b.GetAttribute("data-sequence"))), AuditPageData.Wait);
    }

    [Fact]
    public async Task Render_MalformedValuesInUrl_NamesEachFieldWithoutSearching()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        await AuditPageData.AppendKeyRequestsAsync(domain, 3);
        domain.Context.Render<MudPopoverProvider>();
        Navigation(domain).NavigateTo("audit/key-requests?kvn=abc&iin=XYZ&from=yesterday&requestId=42&record=x");

        var cut = domain.Context.Render<KeyRequestsPage>();

        await cut.WaitForAssertionAsync(() => Assert.Contains("Correct the marked fields", cut.Find("[data-testid=no-rows]").TextContent, StringComparison.Ordinal), AuditPageData.Wait);
        Assert.Contains("Expected 0 to 255", cut.Find("[data-testid=filter-kvn]").TextContent, StringComparison.Ordinal);
        Assert.Contains("hexadecimal", cut.Find("[data-testid=filter-iin]").TextContent, StringComparison.Ordinal);
        Assert.Contains("ISO 8601", cut.Find("[data-testid=filter-from]").TextContent, StringComparison.Ordinal);
        Assert.Contains("request id", cut.Find("[data-testid=filter-requestId]").TextContent, StringComparison.Ordinal);
        Assert.Equal("abc", cut.Find("[data-testid=filter-kvn] input").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-testid=open-record]"));
        Assert.Null(cut.Find("[data-testid=export-csv]").GetAttribute("href"));
        Assert.Contains("record: expected a record number", cut.Find("[data-testid=record-not-found]").TextContent, StringComparison.Ordinal);

        AuditPageData.Type(cut, "kvn", "300");
        cut.Find("[data-testid=filter-apply]").Click();
        await cut.WaitForAssertionAsync(() => Assert.Contains("0 to 255", cut.Find("[data-testid=filter-kvn]").TextContent, StringComparison.Ordinal), AuditPageData.Wait);
        Assert.EndsWith("kvn=abc&iin=XYZ&from=yesterday&requestId=42&record=x", Navigation(domain).Uri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Pager_NextAndPrevious_WalksKeysetPagesBothOrders(DatabaseProvider provider)
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor, provider);
        var samples = await AuditPageData.AppendKeyRequestsAsync(domain, 120);
        domain.Context.Render<MudPopoverProvider>();
        Navigation(domain).NavigateTo("audit/key-requests");
        var cut = domain.Context.Render<KeyRequestsPage>();
        var newest = samples.OrderByDescending(s => s.Sequence).Select(s => s.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        IEnumerable<string?> Shown() => cut.FindAll("[data-testid=open-record]").Select(b => b.GetAttribute("data-sequence"));

        await cut.WaitForAssertionAsync(() => Assert.Equal(newest.Take(50), Shown()), AuditPageData.Wait);
        Assert.True(cut.Find("[data-testid=page-previous]").HasAttribute("disabled"));
        cut.Find("[data-testid=page-next]").Click();
        await cut.WaitForAssertionAsync(() => Assert.Equal(newest.Skip(50).Take(50), Shown()), AuditPageData.Wait);
        Assert.Equal("Page 2", cut.Find("[data-testid=page-number]").TextContent);
        cut.Find("[data-testid=page-next]").Click();
        await cut.WaitForAssertionAsync(() => Assert.Equal(newest.Skip(100), Shown()), AuditPageData.Wait);
        Assert.Equal("Page 3", cut.Find("[data-testid=page-number]").TextContent);
        Assert.True(cut.Find("[data-testid=page-next]").HasAttribute("disabled"));
        cut.Find("[data-testid=page-previous]").Click();
        await cut.WaitForAssertionAsync(() => Assert.Equal(newest.Skip(50).Take(50), Shown()), AuditPageData.Wait);

        Navigation(domain).NavigateTo("audit/key-requests?order=oldest");
        await cut.WaitForAssertionAsync(() => Assert.Equal(Enumerable.Reverse(newest).Take(50), Shown()), AuditPageData.Wait);
        Assert.Equal("Page 1", cut.Find("[data-testid=page-number]").TextContent);
        cut.Find("[data-testid=page-next]").Click();
        await cut.WaitForAssertionAsync(() => Assert.Equal(Enumerable.Reverse(newest).Skip(50).Take(50), Shown()), AuditPageData.Wait);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task OpenRecord_Row_DrawerShowsEveryRecordedFieldAndTheChainHash(DatabaseProvider provider)
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor, provider);
        var samples = await AuditPageData.AppendKeyRequestsAsync(domain, 5);
        domain.Context.Render<MudPopoverProvider>();
        Navigation(domain).NavigateTo("audit/key-requests");
        var cut = domain.Context.Render<KeyRequestsPage>();
        var sample = samples[3];
        await cut.WaitForAssertionAsync(() => Assert.Equal(5, cut.FindAll("[data-testid=open-record]").Count), AuditPageData.Wait);

        cut.Find($"[data-testid=open-record][data-sequence='{sample.Sequence}']").Click();

        await cut.WaitForAssertionAsync(() => Assert.EndsWith($"/audit/key-requests?record={sample.Sequence}", Navigation(domain).Uri, StringComparison.Ordinal), AuditPageData.Wait);
        await cut.WaitForAssertionAsync(() => Assert.Equal(sample.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            cut.Find("[data-testid=record-detail]").GetAttribute("data-sequence")), AuditPageData.Wait);
        string Field(string name) => cut.Find($"[data-testid=record-fields] [data-field='{name}']").TextContent.Trim();
        Assert.Equal(sample.RequestId.ToString("D"), Field("requestId"));
        Assert.Equal("audit/key-requests?requestId=" + sample.RequestId.ToString("D"),
            cut.Find("[data-testid=record-fields] [data-testid=request-id-link]").GetAttribute("href"));
        Assert.Equal("THUMB0003", Field("certificateThumbprint"));
        Assert.Equal("192.0.2.10", Field("remoteAddress"));
        Assert.Equal("E00003", Field("checkValues.enc"));
        Assert.Equal("M00003", Field("checkValues.mac"));
        Assert.Equal("D00003", Field("checkValues.dek"));
        Assert.Equal("503", Field("latencyMicroseconds"));
        Assert.Equal(AuditDisplayTime(sample.At), Field("occurredAt"));
        var stored = await domain.Context.Services.GetRequiredService<AuditRecordLookup>().GetAsync(sample.Sequence);
        Assert.Equal(stored!.HashHex, cut.Find("[data-testid=record-hash]").TextContent.Trim());
        Assert.Matches("^[0-9a-f]{64}$", stored.HashHex);

        cut.Find("[data-testid=record-close]").Click();
        await cut.WaitForAssertionAsync(() => Assert.EndsWith("/audit/key-requests", Navigation(domain).Uri, StringComparison.Ordinal), AuditPageData.Wait);
        await cut.WaitForAssertionAsync(() => Assert.Empty(cut.FindAll("[data-testid=record-detail]")), AuditPageData.Wait);

        Navigation(domain).NavigateTo("audit/key-requests?record=9999");
        await cut.WaitForAssertionAsync(() => Assert.Contains("No key-request record 9999", cut.Find("[data-testid=record-not-found]").TextContent, StringComparison.Ordinal), AuditPageData.Wait);
    }

    private static NavigationManager Navigation(PortalDomain domain) => domain.Context.Services.GetRequiredService<NavigationManager>();

    [Fact]
    public async Task Render_NoKeyRequestYet_SaysNoneRecordedYet()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        domain.Context.Render<MudPopoverProvider>();
        Navigation(domain).NavigateTo("audit/key-requests");

        var cut = domain.Context.Render<KeyRequestsPage>();

        await cut.WaitForAssertionAsync(() => Assert.Contains("No key request recorded yet.", cut.Find("[data-testid=no-rows]").TextContent, StringComparison.Ordinal), AuditPageData.Wait);
    }

    [Fact]
    public async Task Render_FilterMatchesNothing_SaysNoMatchNotNoneYet()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        await AuditPageData.AppendKeyRequestsAsync(domain, 3);
        domain.Context.Render<MudPopoverProvider>();
        Navigation(domain).NavigateTo("audit/key-requests?tsm=nobody");

        var cut = domain.Context.Render<KeyRequestsPage>();

        await cut.WaitForAssertionAsync(() => Assert.Contains("No key request matches the filter.", cut.Find("[data-testid=no-rows]").TextContent, StringComparison.Ordinal), AuditPageData.Wait);
        Assert.Empty(cut.FindAll("[data-testid=open-record]"));
    }

    private static string AuditDisplayTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC";
}
