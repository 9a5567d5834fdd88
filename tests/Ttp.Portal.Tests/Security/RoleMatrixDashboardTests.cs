using Ttp.Domain.Staff;
using Ttp.Portal.Tests.Account;

namespace Ttp.Portal.Tests.Security;

/// <summary>
/// The role matrix of the dashboard's panels that only some roles see, on the real portal through real sign-in: the
/// pending-approvals list is the Operators' alone.
/// </summary>
public sealed class RoleMatrixDashboardTests
{
    [Fact]
    public async Task PendingApprovals_EveryRole_ShownToOperatorsOnly()
    {
        using var host = new PortalHost();
        var failures = new List<string>();
        foreach (var role in StaffRoles.All)
        {
            var email = "dash-" + role.ToLowerInvariant() + "@ttp.test";
            var key = role == StaffRoles.Auditor ? null : TestTotp.Key;
            await host.SeedStaffAsync(email, [role], key);
            using var browser = host.CreateBrowser();
            await PortalHost.SignInAsync(browser, email, key);

            var dashboard = await browser.GetPageAsync("/");

            var shown = dashboard.Html.Contains("data-testid=\"pending-approvals\"", StringComparison.Ordinal);
            if (!dashboard.Html.Contains("data-testid=\"tsm-states\"", StringComparison.Ordinal) || shown != (role == StaffRoles.Operator))
            {
                failures.Add($"{role}: pending approvals {(shown ? "shown" : "not shown")} at {dashboard.Path}");
            }
        }

        Assert.Empty(failures);
    }
}
