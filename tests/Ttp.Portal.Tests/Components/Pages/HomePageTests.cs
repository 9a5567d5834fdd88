using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Pages;

/// <summary>The dashboard over the real domain and database: TSM states, key requests of the last 24 hours, staff actions.</summary>
public sealed class HomePageTests
{
    [Fact]
    public async Task Dashboard_TsmsAndKeyRequests_CountsFromTheDatabase()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate("CN=acme"), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        await domain.Tsms.RegisterAsync("globex", "Globex", PortalDomain.Certificate("CN=globex"), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        await domain.Tsms.ApproveAsync("globex", PortalDomain.OperatorB, Actor.Staff(PortalDomain.OperatorB));
        await domain.Tsms.UpdateScopeAsync("globex", ["A0000001", "A0000002"], null, Actor.Staff(PortalDomain.OperatorA));
        var audit = domain.Context.Services.GetRequiredService<AuditWriter>();
        await audit.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm("globex"), "issuer-key:A0000001/1", AuditRecord.OutcomeOk, new { }));
        await audit.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm("globex"), "issuer-key:A0000001/1", AuditRecord.OutcomeOk, new { }));
        await audit.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm("globex"), "issuer:A0000001", "ScopeDenied", new { }));
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<HomePage>();

        cut.WaitForAssertion(() => Assert.Contains("Pending approval: 1", cut.Find("[data-testid=tsm-states]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Active: 1", cut.Find("[data-testid=tsm-states]").TextContent, StringComparison.Ordinal);
        Assert.Contains("2 answered, 1 refused", cut.Find("[data-testid=key-requests]").TextContent, StringComparison.Ordinal);
        Assert.Contains("0 active of 0", cut.Find("[data-testid=active-key-sets]").TextContent, StringComparison.Ordinal);
        Assert.Contains("1 change waits for a second Operator", cut.Find("[data-testid=pending-changes]").TextContent, StringComparison.Ordinal);
        var recent = cut.Find("[data-testid=recent-actions]").TextContent;
        Assert.Contains("TSM scope changed", recent, StringComparison.Ordinal);
        Assert.Contains(cut.FindAll("[data-testid=recent-actions] [data-testid=audit-action]"), e => e.GetAttribute("data-code") == "tsm.scope-updated");
        Assert.DoesNotContain("tsm.scope-updated", recent, StringComparison.Ordinal);
        Assert.Contains("user:" + PortalDomain.OperatorB, recent, StringComparison.Ordinal);
    }
}
