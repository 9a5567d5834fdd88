using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages.Audit;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Audit;

/// <summary>
/// The activity page over the real domain and a real SQLite database: key requests written through the audit writer
/// at known times, the charts' series and tables, the range in the URL, an invalid custom range.
/// </summary>
public sealed class ActivityPageTests
{
    private const string Auditor = "auditor@ttp.example";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Render_SevenDaysInUrl_TablesCountRequestsPerTsmFaultRatesAndLatencyPerDay()
    {
        await using var domain = await CreateAsync();
        // Dec 4: acme 3 ok (1000, 2000, 3000 µs) and 1 ScopeDenied; globex 1 ok (1500 µs). Dec 6: globex 2 ok (800 µs).
        await AppendAsync(domain, new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero), "acme", "ok", 1000);
        await AppendAsync(domain, new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero), "acme", "ok", 2000);
        await AppendAsync(domain, new DateTimeOffset(2026, 12, 4, 11, 0, 0, TimeSpan.Zero), "acme", "ok", 3000);
        await AppendAsync(domain, new DateTimeOffset(2026, 12, 4, 11, 5, 0, TimeSpan.Zero), "acme", "ScopeDenied", 200);
        await AppendAsync(domain, new DateTimeOffset(2026, 12, 4, 23, 59, 0, TimeSpan.Zero), "globex", "ok", 1500);
        await AppendAsync(domain, new DateTimeOffset(2026, 12, 6, 1, 0, 0, TimeSpan.Zero), "globex", "ok", 800);
        await AppendAsync(domain, new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero), "globex", "ok", 800);
        // Outside the range (8 days ago): not counted.
        await AppendAsync(domain, new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), "acme", "UnknownKey", 100);
        // Part of the trail rolled up, the rest counted after the watermark: the page shows both.
        await domain.Context.Services.GetRequiredService<KeyRequestRollup>().CatchUpAsync(batchSize: 3, maxBatches: 1);
        domain.Context.Services.GetRequiredService<NavigationManager>().NavigateTo("audit/activity?range=7d");

        var cut = domain.Context.Render<ActivityPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=requests-table]")));
        Assert.Contains("From 2026-11-30 00:00:00 UTC to 2026-12-07 00:00:00 UTC, per day: 7 requests, 1 refused.", cut.Find("[data-testid=range-text]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["Day (UTC)", "acme", "globex", "Total"], Cells(cut, "requests-table", "thead tr"));
        var requests = Rows(cut, "requests-table");
        Assert.Equal(7, requests.Count);
        Assert.Equal(["2026-12-04", "4", "1", "5"], requests[4]);
        Assert.Equal(["2026-12-05", "0", "0", "0"], requests[5]);
        Assert.Equal(["2026-12-06", "0", "2", "2"], requests[6]);
        Assert.Equal(["Day (UTC)", "ScopeDenied", "Requests"], Cells(cut, "faults-table", "thead tr"));
        Assert.Equal(["2026-12-04", "20 %", "5"], Rows(cut, "faults-table")[4]);
        // Answered on Dec 4: 1000, 1500, 2000, 3000 µs. p50 (rank 2) is 1500 µs, in bucket [1449, 1723); p95 and p99
        // (rank 4) are 3000 µs, in [2897, 3445).
        Assert.Equal(["2026-12-04", "< 1.723", "< 3.445", "< 3.445", "4"], Rows(cut, "latency-table")[4]);
        Assert.Equal(["2026-12-05", "-", "-", "-", "0"], Rows(cut, "latency-table")[5]);
        Assert.Equal(["2026-12-06", "< 0.862", "< 0.862", "< 0.862", "2"], Rows(cut, "latency-table")[6]);
        Assert.Empty(cut.FindAll("[data-testid=rollup-lag]"));
    }

    [Fact]
    public async Task Render_NoRangeInUrl_Last24HoursPerHour()
    {
        await using var domain = await CreateAsync();
        await AppendAsync(domain, Now.AddMinutes(-20), "acme", "ok", 1000);
        await AppendAsync(domain, Now.AddHours(-3), "acme", "UnknownKey", 1000);
        await AppendAsync(domain, Now.AddHours(-30), "acme", "ok", 1000);
        domain.Context.Services.GetRequiredService<NavigationManager>().NavigateTo("audit/activity");

        var cut = domain.Context.Render<ActivityPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=requests-table]")));
        Assert.Contains("From 2026-12-05 13:00:00 UTC to 2026-12-06 13:00:00 UTC, per hour: 2 requests, 1 refused.", cut.Find("[data-testid=range-text]").TextContent, StringComparison.Ordinal);
        var rows = Rows(cut, "requests-table");
        Assert.Equal(24, rows.Count);
        Assert.Equal(["2026-12-06 12:00", "1", "1"], rows[^1]);
        Assert.Equal(["2026-12-06 09:00", "1", "1"], rows[^4]);
        Assert.Equal(["2026-12-06 09:00", "100 %", "1"], Rows(cut, "faults-table")[^4]);
    }

    [Fact]
    public async Task RangeButton_SevenDays_PutsTheRangeInTheUrl()
    {
        await using var domain = await CreateAsync();
        var navigation = domain.Context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("audit/activity");
        var cut = domain.Context.Render<ActivityPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=requests-table]")));

        cut.Find("[data-testid=range-7d]").Click();

        Assert.EndsWith("audit/activity?range=7d", navigation.Uri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("range=custom&from=2026-12-05%2010:00&to=2026-12-04", "to: expected after from.")]
    [InlineData("range=custom&from=yesterday&to=2026-12-04", "from: expected a UTC time as yyyy-MM-dd HH:mm (or yyyy-MM-dd).")]
    [InlineData("range=year", "range: expected 24h, 7d, 30d or custom.")]
    public async Task Render_InvalidRangeInUrl_MessageNamesTheField(string query, string message)
    {
        await using var domain = await CreateAsync();
        domain.Context.Services.GetRequiredService<NavigationManager>().NavigateTo("audit/activity?" + query);

        var cut = domain.Context.Render<ActivityPage>();

        cut.WaitForAssertion(() => Assert.Equal(message, cut.Find("[data-testid=activity-error]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=requests-table]"));
    }

    [Fact]
    public async Task Render_CustomRangeOfHours_PerHourFromTheUrl()
    {
        await using var domain = await CreateAsync();
        await AppendAsync(domain, new DateTimeOffset(2026, 12, 1, 10, 15, 0, TimeSpan.Zero), "initech", "ok", 5000);
        domain.Context.Services.GetRequiredService<NavigationManager>().NavigateTo("audit/activity?range=custom&from=2026-12-01%2009:00&to=2026-12-01%2012:00");

        var cut = domain.Context.Render<ActivityPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=requests-table]")));
        Assert.Equal(
            [["2026-12-01 09:00", "0", "0"], ["2026-12-01 10:00", "1", "1"], ["2026-12-01 11:00", "0", "0"]],
            Rows(cut, "requests-table"));
        Assert.NotNull(cut.Find("[data-testid=no-faults]"));
    }

    private static async Task<PortalDomain> CreateAsync()
    {
        var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor, time: new FakeTimeProvider(Now));
        domain.Context.Render<MudPopoverProvider>();
        return domain;
    }

    private static Task<long> AppendAsync(PortalDomain domain, DateTimeOffset at, string tsm, string outcome, long latency) =>
        domain.Context.Services.GetRequiredService<AuditWriter>().AppendAsync(
            AuditRecord.KeyRequest(Actor.Tsm(tsm), "issuer-key:A0000001/1", outcome,
                new { RequestId = Guid.NewGuid(), Tsm = tsm, Outcome = outcome, LatencyMicroseconds = latency }).WithOccurredAt(at));

    private static List<List<string>> Rows(IRenderedComponent<ActivityPage> cut, string table) =>
        [.. cut.FindAll($"[data-testid={table}] tbody tr").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToList())];

    private static List<string> Cells(IRenderedComponent<ActivityPage> cut, string table, string row) =>
        [.. cut.Find($"[data-testid={table}] {row}").Children.Select(c => c.TextContent.Trim())];
}
