using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages.Audit;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Audit;

/// <summary>The staff-action search over the real domain and a real SQLite database.</summary>
public sealed class StaffActionsPageTests
{
    private const string Auditor = "auditor@ttp.example";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Render_ActorAndActionInUrl_ListsOnlyTheirActionsAndOpensBeforeAfterSideBySide(DatabaseProvider provider)
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor, provider);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate("CN=acme"), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        await domain.Tsms.ApproveAsync("acme", PortalDomain.OperatorB, Actor.Staff(PortalDomain.OperatorB));
        var audit = domain.Context.Services.GetRequiredService<AuditWriter>();
        var change = await audit.AppendAsync(AuditRecord.StaffAction("tsm.scope-updated", Actor.Staff(PortalDomain.OperatorB), "tsm:acme",
            new { Before = new { Iins = "A0000001" }, After = new { Iins = "A0000001,A0000002" } }));
        await audit.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm("acme"), "tsm:acme", AuditRecord.OutcomeOk, new { Tsm = "acme" }));
        domain.Context.Render<MudPopoverProvider>();
        var navigation = domain.Context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"audit/actions?actor=user:{PortalDomain.OperatorB}&subject=tsm:acme");

        var cut = domain.Context.Render<StaffActionsPage>();

        await cut.WaitForAssertionAsync(() => Assert.Equal(2, cut.FindAll("[data-testid=open-record]").Count), AuditPageData.Wait);
        Assert.Equal(change.ToString(System.Globalization.CultureInfo.InvariantCulture), cut.FindAll("[data-testid=open-record]")[0].GetAttribute("data-sequence"));
        Assert.Contains("TSM approved", cut.Find("[data-testid=staff-action-grid]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["tsm.scope-updated", "tsm.approved"], cut.FindAll("[data-testid=row-action]").Select(e => e.GetAttribute("data-code")));
        Assert.Equal($"audit/export/actions?format=csv&actor=user:{PortalDomain.OperatorB}&subject=tsm:acme",
            cut.Find("[data-testid=export-csv]").GetAttribute("href"));

        await AuditPageData.ClickFirstAsync(cut, "[data-testid=open-record]");

        await cut.WaitForAssertionAsync(() => Assert.Equal("A0000001,A0000002", cut.Find("[data-testid=record-after] [data-field=iins]").TextContent.Trim()), AuditPageData.Wait);
        Assert.Equal("A0000001", cut.Find("[data-testid=record-before] [data-field=iins]").TextContent.Trim());
        Assert.Equal("user:" + PortalDomain.OperatorB, cut.Find("[data-testid=record-fields] [data-field=actor]").TextContent.Trim());
        Assert.Equal("TSM scope changed", cut.Find("[data-testid=record-fields] [data-field=action]").TextContent.Trim());
        Assert.Equal("tsm.scope-updated", cut.Find("[data-testid=record-action]").GetAttribute("data-code"));
    }

    [Fact]
    public async Task Render_KeyRequestSequenceAsRecord_NotFoundAmongStaffActions()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        var keyRequest = await domain.Context.Services.GetRequiredService<AuditWriter>()
            .AppendAsync(AuditRecord.KeyRequest(Actor.Tsm("acme"), "tsm:acme", AuditRecord.OutcomeOk, new { Tsm = "acme" }));
        domain.Context.Render<MudPopoverProvider>();
        domain.Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"audit/actions?record={keyRequest}&to=2000-01-01");

        var cut = domain.Context.Render<StaffActionsPage>();

        await cut.WaitForAssertionAsync(() => Assert.Contains($"No staff-action record {keyRequest}", cut.Find("[data-testid=record-not-found]").TextContent, StringComparison.Ordinal), AuditPageData.Wait);
        Assert.Contains("No staff action matches the filter.", cut.Find("[data-testid=no-rows]").TextContent, StringComparison.Ordinal);
    }
}
