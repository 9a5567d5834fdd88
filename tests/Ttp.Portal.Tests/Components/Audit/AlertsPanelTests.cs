using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Alerts;
using Ttp.Domain.Audit;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages.Audit;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Audit;

/// <summary>
/// The alerts panel over the real domain and a real SQLite database: an alert raised by the real scanner from records
/// written through the real audit writer, acknowledged through the confirmation dialog with a note, audited.
/// </summary>
public sealed class AlertsPanelTests
{
    private const string Auditor = "auditor@ttp.example";
    private const string Kdd = "00000000000000000001";

    [Fact]
    public async Task Acknowledge_AuditorConfirmsWithNote_AlertLeavesTheOpenListAndIsAudited()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        var alert = await RaiseSameCardAlertAsync(domain);
        var dialogs = domain.Context.Render<MudDialogProvider>();
        domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<AlertsPanel>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=alert-row]")));
        Assert.Equal("Same card, two TSMs", cut.Find("[data-testid=alert-kind]").TextContent.Trim());
        Assert.Contains("acme, globex", cut.Find("[data-testid=alert-summary]").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/audit/key-requests?iin=A0000001&kdd={Kdd}", cut.Find("[data-testid=alert-card-link]").GetAttribute("href"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=acknowledge]").Click());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=acknowledge-confirm]")));
        Assert.Contains("acme, globex", dialogs.Find("[data-testid=acknowledge-message]").TextContent, StringComparison.Ordinal);
        await dialogs.InvokeAsync(() => dialogs.Find("input[data-testid=acknowledge-note], [data-testid=acknowledge-note] input").Input("card moved to globex"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=acknowledge-confirm]").Click());

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=no-alerts]")));
        var stored = Assert.Single(await domain.Context.Services.GetRequiredService<AlertService>().ListAsync(includeAcknowledged: true));
        Assert.Equal((alert.Id, AlertState.Acknowledged, "user:" + Auditor, "card moved to globex"), (stored.Id, stored.State, stored.AcknowledgedBy, stored.Note));
        var record = Assert.Single(await domain.Context.Services.GetRequiredService<AuditQueries>().ForSubjectAsync(AlertService.SubjectOf(alert.Id)),
            e => e.Action == AlertService.AcknowledgedAction);
        Assert.Equal("user:" + Auditor, record.Actor);

        // Shown again on request, with who acknowledged it and the note; no button.
        await cut.InvokeAsync(() => cut.Find("input[data-testid=show-acknowledged], [data-testid=show-acknowledged] input").Change(true));
        cut.WaitForAssertion(() => Assert.Contains("card moved to globex", cut.Find("[data-testid=alert-state]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=acknowledge]"));
    }

    [Fact]
    public async Task Acknowledge_Cancelled_AlertStaysOpen()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        await RaiseSameCardAlertAsync(domain);
        var dialogs = domain.Context.Render<MudDialogProvider>();
        domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<AlertsPanel>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=alert-row]")));

        await cut.InvokeAsync(() => cut.Find("[data-testid=acknowledge]").Click());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=acknowledge-confirm]")));
        await dialogs.InvokeAsync(() => dialogs.FindAll("button").First(b => b.TextContent.Contains("Cancel", StringComparison.Ordinal)).Click());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=acknowledge-confirm]")));
        Assert.Equal(1, await domain.Context.Services.GetRequiredService<AlertService>().OpenCountAsync());
        Assert.Single(cut.FindAll("[data-testid=acknowledge]"));
    }

    private static async Task<AuditAlert> RaiseSameCardAlertAsync(PortalDomain domain)
    {
        await using (var scope = domain.Context.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StaffService>().AddAsync(Auditor, StaffRoles.Auditor, "Correct-Horse-Battery-9", Actor.System);
        }

        var audit = domain.Context.Services.GetRequiredService<AuditWriter>();
        foreach (var tsm in new[] { "acme", "globex" })
        {
            await audit.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm(tsm), "issuer-key:A0000001/1", AuditRecord.OutcomeOk,
                new { RequestId = Guid.NewGuid(), Tsm = tsm, Iin = "A0000001", Kdd, Kvn = 1, KekIndex = 1 }));
        }

        await domain.Context.Services.GetRequiredService<AlertScanner>().ScanToHeadAsync();
        return Assert.Single(await domain.Context.Services.GetRequiredService<AlertService>().ListAsync());
    }
}
