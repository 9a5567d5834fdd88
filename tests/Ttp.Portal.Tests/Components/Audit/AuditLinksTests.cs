using Bunit;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Shared;
using Ttp.Portal.Components.Pages.Tsms;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Audit;

/// <summary>The links into the key-request search: a request id, and a TSM's key requests from its page.</summary>
public sealed class AuditLinksTests
{
    [Fact]
    public async Task RequestIdLink_RequestId_LinksToTheSearchFilteredOnIt()
    {
        await using var domain = await PortalDomain.CreateAsync("auditor@ttp.example", StaffRoles.Auditor);

        var cut = domain.Context.Render<RequestIdLink>(p => p.Add(x => x.RequestId, "3f2504e0-4f89-11d3-9a0c-0305e82c3301"));

        Assert.Equal("audit/key-requests?requestId=3f2504e0-4f89-11d3-9a0c-0305e82c3301", cut.Find("a").GetAttribute("href"));
        Assert.Equal("3f2504e0-4f89-11d3-9a0c-0305e82c3301", cut.Find("a").TextContent);
    }

    [Fact]
    public async Task TsmDetailsPage_Operator_LinksToTheTsmsKeyRequests()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorB, StaffRoles.Operator);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate(), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, "acme"));

        await cut.WaitForAssertionAsync(() => Assert.Equal("audit/key-requests?tsm=acme", cut.Find("[data-testid=tsm-key-requests]").GetAttribute("href")), AuditPageData.Wait);
    }
}
