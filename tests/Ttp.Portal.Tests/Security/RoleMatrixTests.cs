using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;
using Ttp.Portal.Accreditation;
using Ttp.Portal.Security;
using Ttp.Portal.Staff;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;

namespace Ttp.Portal.Tests.Security;

/// <summary>
/// The role matrix: every portal page and every state-changing action against every role, allowed or denied, on the
/// real portal: pages through real sign-in (password and TOTP, cookies); actions through the edge services the pages
/// call (TsmAccreditation, StaffAdministration) with the portal's own policies, against the real domain and database.
/// </summary>
public sealed class RoleMatrixTests
{
    private const string A = StaffRoles.Administrator;
    private const string O = StaffRoles.Operator;
    private const string S = StaffRoles.SecurityOfficer;
    private const string K = StaffRoles.KeyCustodian;
    private const string U = StaffRoles.Auditor;
    private const string Iin = "A0000001";

    // Page -> the roles that may open it.
    private static readonly (string Path, string[] Allowed)[] Pages =
    [
        ("/", [A, O, S, K, U]),
        ("/tsms", [O, S]),
        ("/tsms/acme", [O, S]),
        ("/tsms/register", [O]),
        ("/staff", [A]),
    ];

    [Fact]
    public async Task Pages_EveryRole_AllowedOrDenied()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        var failures = new List<string>();
        foreach (var role in StaffRoles.All)
        {
            var email = role.ToLowerInvariant() + "@ttp.test";
            var key = role == U ? null : TestTotp.Key;
            await host.SeedStaffAsync(email, [role], key);
            using var browser = host.CreateBrowser();
            var signedIn = await PortalHost.SignInAsync(browser, email, key);
            Assert.False(signedIn.Path.StartsWith("/account/login", StringComparison.Ordinal), $"{role} could not sign in: {signedIn.Path}");

            foreach (var (path, allowed) in Pages)
            {
                var page = await browser.GetPageAsync(path);
                var denied = page.Path.StartsWith("/account/access-denied", StringComparison.Ordinal)
                    || page.Html.Contains("data-testid=\"access-denied\"", StringComparison.Ordinal);
                var expectedAllowed = allowed.Contains(role);
                if (page.Status != HttpStatusCode.OK || page.Path.StartsWith("/account/login", StringComparison.Ordinal) || denied == expectedAllowed)
                {
                    failures.Add($"{role} {path}: expected {(expectedAllowed ? "allowed" : "denied")}, got {(int)page.Status} at {page.Path} ({(denied ? "denied" : "shown")})");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Actions_EveryRole_AllowedOrDeniedAndNothingChangedWhenDenied()
    {
        using var host = new PortalHost();
        using var active = TestClientCertificates.Create("active");
        await host.RegisterTsmAsync("active", active, Iin);
        var tsms = host.Services.GetRequiredService<TsmService>();
        await tsms.RegisterAsync("pending", null, TestClientCertificates.Create("pending").RawData, [Iin], Actor.Staff("ops@ttp.test"));
        await tsms.RegisterAsync("pending2", null, TestClientCertificates.Create("pending2").RawData, [Iin], Actor.Staff("ops@ttp.test"));
        await host.RegisterTsmAsync("victim", TestClientCertificates.Create("victim"), Iin);
        await host.SeedStaffAsync("target@ttp.test", [U]);
        var failures = new List<string>();
        foreach (var role in StaffRoles.All)
        {
            var email = "matrix-" + role.ToLowerInvariant() + "@ttp.test";
            await host.SeedStaffAsync(email, [role], role == U ? null : TestTotp.Key);
            await using var scope = host.Services.CreateAsyncScope();
            var user = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, email), new Claim(ClaimTypes.Email, email), new Claim(ClaimTypes.Role, role)],
                authenticationType: "Test"));
            var staff = new StaffAuthorization(new Signed(user), scope.ServiceProvider.GetRequiredService<IAuthorizationService>());
            var accreditation = new TsmAccreditation(staff, tsms);
            var administration = new StaffAdministration(staff, host.Services.GetRequiredService<IServiceScopeFactory>());
            foreach (var (action, allowed, call) in Actions(accreditation, administration, role, active))
            {
                var before = await AuditCountAsync(host);
                var refused = await Record.ExceptionAsync(call);
                var denied = refused is AccessDeniedException;
                if (allowed.Contains(role) == denied)
                {
                    failures.Add($"{role} {action}: expected {(allowed.Contains(role) ? "allowed" : "denied")}, got {refused?.GetType().Name ?? "done"}: {refused?.Message}");
                }
                else if (denied && await AuditCountAsync(host) != before)
                {
                    failures.Add($"{role} {action}: denied, but the audit trail changed");
                }
                else if (refused is not null and not DomainException)
                {
                    failures.Add($"{role} {action}: {refused.GetType().Name}: {refused.Message}");
                }
            }
        }

        Assert.Empty(failures);

        // The allowed calls did their work: the Operator approved, rejected and revoked; the Administrator invited.
        Assert.Equal(TsmState.Active, (await tsms.GetAsync("pending")).State);
        Assert.Equal(TsmState.Rejected, (await tsms.GetAsync("pending2")).State);
        Assert.Equal(TsmState.Revoked, (await tsms.GetAsync("victim")).State);
        Assert.Equal(["A0000001", "A0000002"], (await tsms.GetAsync("active")).Scope.Select(x => x.Iin).Order());
        await using var check = host.Services.CreateAsyncScope();
        var members = await check.ServiceProvider.GetRequiredService<StaffService>().ListAsync();
        Assert.Contains(members, m => m.Email == "invited-administrator@ttp.test");
        Assert.DoesNotContain(members, m => m.Email == "invited-operator@ttp.test");
    }

    // Every state-changing action of the portal, through the edge services the pages call, and the roles it admits.
    private static IEnumerable<(string Action, string[] Allowed, Func<Task> Call)> Actions(
        TsmAccreditation tsm, StaffAdministration staff, string role, System.Security.Cryptography.X509Certificates.X509Certificate2 active)
    {
        var suffix = role.ToLowerInvariant();
        yield return ("tsm.register", [O], () => tsm.RegisterAsync(new TsmRegistration("new-" + suffix, null, [Iin]), TestClientCertificates.Create("new-" + suffix).RawData));
        yield return ("tsm.approve", [O], () => tsm.ApproveAsync("pending"));
        yield return ("tsm.reject", [O], () => tsm.RejectAsync("pending2", "not ours"));
        yield return ("tsm.suspend", [O], () => tsm.SuspendAsync("active", "audit finding"));
        yield return ("tsm.reinstate", [O], () => tsm.ReinstateAsync("active", "finding closed"));
        yield return ("tsm.scope", [O], () => tsm.UpdateScopeAsync("active", [Iin, "A0000002"], 50));
        yield return ("tsm.certificate-add", [O], () => tsm.AddCertificateAsync("active", TestClientCertificates.Create("active-next-" + suffix).RawData));
        yield return ("tsm.certificate-retire", [O], () => tsm.RetireCertificateAsync("active", Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(active.RawData)), DateTimeOffset.UtcNow.AddDays(1)));
        yield return ("tsm.revoke", [O], () => tsm.RevokeAsync("victim", "contract ended"));
        yield return ("staff.invite", [A], () => staff.InviteAsync("invited-" + suffix + "@ttp.test", [U], PortalHost.StaffPassword));
        yield return ("staff.roles", [A], () => staff.ChangeRolesAsync("target@ttp.test", [U, K]));
        yield return ("staff.disable", [A], () => staff.DisableAsync("target@ttp.test"));
        yield return ("staff.enable", [A], () => staff.EnableAsync("target@ttp.test"));
        yield return ("staff.reset-2fa", [A], () => staff.ResetTwoFactorAsync("target@ttp.test"));
        yield return ("staff.unlock", [A], () => staff.UnlockAsync("target@ttp.test"));
    }

    private static async Task<int> AuditCountAsync(PortalHost host)
    {
        var factory = host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Ttp.Domain.Data.TtpDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.AuditEvents);
    }

    [Fact]
    public async Task Actions_NobodySignedIn_Denied()
    {
        using var host = new PortalHost();
        host.StartServer();
        await using var scope = host.Services.CreateAsyncScope();
        var staff = new StaffAuthorization(new Signed(new ClaimsPrincipal(new ClaimsIdentity())), scope.ServiceProvider.GetRequiredService<IAuthorizationService>());
        var accreditation = new TsmAccreditation(staff, host.Services.GetRequiredService<TsmService>());
        var administration = new StaffAdministration(staff, host.Services.GetRequiredService<IServiceScopeFactory>());

        foreach (var (action, _, call) in Actions(accreditation, administration, "anonymous", TestClientCertificates.Create("x")))
        {
            Assert.IsType<AccessDeniedException>(await Record.ExceptionAsync(call));
        }
    }

    private sealed class Signed(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
