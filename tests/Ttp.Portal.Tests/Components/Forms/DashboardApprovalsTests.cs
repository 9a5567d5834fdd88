using Bunit;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Forms;

/// <summary>The dashboard's pending approvals over the real domain: Operators only, each item linking to its TSM.</summary>
public sealed class DashboardApprovalsTests
{
    [Fact]
    public async Task Approvals_Operator_ListsPendingTsmsAndChangesWithLinks()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorB, StaffRoles.Operator);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate("CN=acme"), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        await domain.Tsms.RegisterAsync("globex", null, PortalDomain.Certificate("CN=globex"), ["A0000001"], Actor.Staff(PortalDomain.OperatorB));
        await domain.Tsms.ApproveAsync("globex", PortalDomain.OperatorA, Actor.Staff(PortalDomain.OperatorA));
        await domain.Tsms.UpdateScopeAsync("globex", ["A0000001", "A0000002"], null, Actor.Staff(PortalDomain.OperatorB));
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<DashboardApprovals>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=pending-approval]").Count));
        var links = cut.FindAll("[data-testid=pending-approval-link]");
        Assert.Equal("Approve TSM 'acme' (ACME)", links[0].TextContent);
        Assert.Equal("tsms/acme", links[0].GetAttribute("href"));
        Assert.Equal("TSM 'globex': add issuers A0000002", links[1].TextContent);
        Assert.Equal("tsms/globex", links[1].GetAttribute("href"));
        Assert.Contains("proposed by you: another Operator must approve", cut.FindAll("[data-testid=pending-approval]")[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approvals_NothingPending_EmptyState()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorB, StaffRoles.Operator);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<DashboardApprovals>();

        cut.WaitForAssertion(() => Assert.Equal("Nothing waits for an Operator's approval.", cut.Find("[data-testid=pending-approvals-empty]").TextContent));
    }

    [Theory]
    [InlineData(StaffRoles.SecurityOfficer)]
    [InlineData(StaffRoles.Auditor)]
    [InlineData(StaffRoles.Administrator)]
    [InlineData(StaffRoles.KeyCustodian)]
    public async Task Approvals_NotAnOperator_NothingShown(string role)
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, role);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate("CN=acme"), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<DashboardApprovals>();

        Assert.Empty(cut.FindAll("[data-testid=pending-approvals]"));
        Assert.DoesNotContain("acme", cut.Markup, StringComparison.Ordinal);
    }
}
