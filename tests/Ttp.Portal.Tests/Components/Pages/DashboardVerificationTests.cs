using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Pages;

/// <summary>The dashboard's verification card over the real domain and database: never verified, then the last result with who and when; hidden from Operators.</summary>
public sealed class DashboardVerificationTests
{
    private const string Auditor = "auditor@ttp.example";

    [Fact]
    public async Task Render_NoVerificationYet_SaysNeverVerified()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);

        var cut = domain.Context.Render<DashboardVerification>();

        cut.WaitForAssertion(() => Assert.Contains("Never verified", cut.Find("[data-testid=verification-never]").TextContent, StringComparison.Ordinal));
        Assert.Equal("/audit/integrity", cut.Find("[data-testid=verification-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task Render_AfterAVerification_ShowsItsResultWhoAndWhen()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        var job = domain.Context.Services.GetRequiredService<AuditVerificationJob>();
        var started = await job.StartAsync(Actor.Staff(PortalDomain.SecurityOfficerC));
        var finished = await job.RunAsync(started.Id);

        var cut = domain.Context.Render<DashboardVerification>();

        cut.WaitForAssertion(() => Assert.StartsWith($"Intact: {finished.RecordsChecked:N0} records", cut.Find("[data-testid=verification-last]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Contains("By user:" + PortalDomain.SecurityOfficerC, cut.Find("[data-testid=verification-when]").TextContent, StringComparison.Ordinal);
        Assert.Contains(" ago)", cut.Find("[data-testid=verification-when]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_Operator_ShowsNothing()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);

        var cut = domain.Context.Render<DashboardVerification>();

        Assert.Empty(cut.FindAll("[data-testid=dashboard-verification]"));
    }
}
