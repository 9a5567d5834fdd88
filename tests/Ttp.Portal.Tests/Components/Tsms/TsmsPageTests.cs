using Bunit;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages.Tsms;

namespace Ttp.Portal.Tests.Components.Tsms;

/// <summary>The TSM list over the real domain: its empty states and the registration time in the portal's format.</summary>
public sealed class TsmsPageTests
{
    [Fact]
    public async Task Render_NoTsmAsOperator_SaysNoneYetWithTheRegisterAction()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<TsmsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No TSM registered yet.", cut.Find("[data-testid=tsm-none]").TextContent, StringComparison.Ordinal));
        Assert.Equal("tsms/register", cut.Find("[data-testid=tsm-none-action]").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_NoTsmAsSecurityOfficer_SaysNoneYetWithoutAction()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<TsmsPage>();

        cut.WaitForAssertion(() => Assert.Contains("No TSM registered yet.", cut.Find("[data-testid=tsm-none]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=tsm-none-action]"));
        Assert.Empty(cut.FindAll("[data-testid=register-tsm]"));
    }

    [Fact]
    public async Task Search_MatchesNoTsm_SaysNoMatchNotNoneYet()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate("CN=acme"), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<TsmsPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=tsm-link]")));
        Assert.Empty(cut.FindAll("[data-testid=tsm-none]"));

        cut.Find("input[data-testid=tsm-search], [data-testid=tsm-search] input").Input("globex");

        cut.WaitForAssertion(() => Assert.Contains("No TSM matches the filter.", cut.Find("[data-testid=tsm-none]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=tsm-link]"));
        Assert.Empty(cut.FindAll("[data-testid=tsm-none-action]"));
    }

    [Fact]
    public async Task Render_RegisteredTsm_RegistrationTimeInThePortalFormat()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        var tsm = await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate("CN=acme"), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<TsmsPage>();

        var expected = tsm.RegisteredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC";
        cut.WaitForAssertion(() => Assert.Contains(expected, cut.Find("[data-testid=tsm-grid]").TextContent, StringComparison.Ordinal));
    }
}
