using Bunit;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;
using Ttp.Portal.Components.Pages.Tsms;

namespace Ttp.Portal.Tests.Components.Tsms;

/// <summary>Who sees which accreditation actions on a TSM's page (four eyes, read-only auditors).</summary>
public sealed class TsmDetailsPageTests
{
    [Fact]
    public async Task Approve_Registrar_DisabledWithExplanation()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate(), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, "acme"));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=tsm-approve]")));
        Assert.True(cut.Find("[data-testid=tsm-approve]").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-testid=tsm-reject]").HasAttribute("disabled"));
        Assert.Equal("Registered by you: a second operator must approve.", cut.Find("[data-testid=tsm-four-eyes]").TextContent.Trim());
    }

    [Fact]
    public async Task Approve_SecondOperator_EnabledAndApprovingActivates()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorB, StaffRoles.Operator);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate(), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();
        var dialogs = domain.Context.Render<MudDialogProvider>();
        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, "acme"));
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=tsm-approve]").HasAttribute("disabled")));
        Assert.Empty(cut.FindAll("[data-testid=tsm-four-eyes]"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=tsm-approve]").Click());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=approve-confirm]")));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=approve-confirm]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Active", cut.Find("[data-testid=tsm-state]").TextContent.Trim()));
        var tsm = await domain.Tsms.GetAsync("acme");
        Assert.Equal((TsmState.Active, "user:" + PortalDomain.OperatorB), (tsm.State, tsm.ApprovedBy));
        Assert.Contains("TSM approved", cut.Find("[data-testid=tsm-timeline]").TextContent, StringComparison.Ordinal);
        Assert.Contains(cut.FindAll("[data-testid=tsm-timeline] [data-testid=audit-action]"), e => e.GetAttribute("data-code") == "tsm.approved");
        Assert.NotNull(cut.Find("[data-testid=tsm-suspend]"));
    }

    [Fact]
    public async Task Integrity_TsmRowEditedInSql_PageNamesTheDamagedRecord()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorB, StaffRoles.Operator);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate(), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        await domain.Tsms.ApproveAsync("acme", PortalDomain.OperatorB, Actor.Staff(PortalDomain.OperatorB));
        domain.Context.Render<MudPopoverProvider>();
        var clean = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, "acme"));
        clean.WaitForAssertion(() => Assert.Equal("acme", clean.Find("[data-testid=tsm-title]").TextContent));
        Assert.Empty(clean.FindAll("[data-testid=tsm-integrity]"));

        Assert.Equal(1, await domain.ExecuteSqlAsync("UPDATE tsms SET rate_limit_per_second = 9999 WHERE name = 'acme'"));
        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, "acme"));

        cut.WaitForAssertion(() => Assert.Contains("TSM 'acme'", cut.Find("[data-testid=tsm-integrity]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Integrity failure", cut.Find("[data-testid=tsm-integrity]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actions_SecurityOfficer_ViewsWithoutActionButtons()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate(), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, "acme"));

        cut.WaitForAssertion(() => Assert.Equal("acme", cut.Find("[data-testid=tsm-title]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=tsm-actions]"));
        // The Security officer's buttons on this page are the KEK section's (TsmKeksPanelTests); none of accreditation.
        Assert.Equal(["kek-new"], cut.FindAll("button[data-testid]").Select(b => b.GetAttribute("data-testid")).Where(id => id != "thumbprint-copy"));
        Assert.Empty(cut.FindAll("[data-testid=tsm-edit-scope]"));
        Assert.Empty(cut.FindAll("[data-testid=certificate-retire]"));
        Assert.Empty(cut.FindAll("[data-testid=rotation-file]"));
        Assert.Contains("TSM registered", cut.Find("[data-testid=tsm-timeline]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_SecurityOfficer_ShowsTsmWithoutRegisterButton()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate(), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<TsmsPage>();

        cut.WaitForAssertion(() => Assert.Equal("acme", cut.Find("[data-testid=tsm-link]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=register-tsm]"));
    }
}
