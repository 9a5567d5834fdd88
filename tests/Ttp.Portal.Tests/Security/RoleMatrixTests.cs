using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.Staff;
using Ttp.Portal.Security;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;

namespace Ttp.Portal.Tests.Security;

/// <summary>
/// The role matrix: every portal page and every state-changing action against every role, allowed or denied, on the
/// real portal (real sign-in with password and TOTP, real cookies, the portal's own policies).
/// </summary>
public sealed class RoleMatrixTests
{
    private const string A = StaffRoles.Administrator;
    private const string O = StaffRoles.Operator;
    private const string S = StaffRoles.SecurityOfficer;
    private const string K = StaffRoles.KeyCustodian;
    private const string U = StaffRoles.Auditor;

    // Page -> the roles that may open it.
    private static readonly (string Path, string[] Allowed)[] Pages =
    [
        ("/", [A, O, S, K, U]),
        ("/tsms", [O, S]),
        ("/tsms/acme", [O, S]),
        ("/tsms/register", [O]),
        ("/staff", [A]),
    ];

    // Every state-changing action of the portal -> the policy its handler requires before calling the domain
    // (StaffAuthorization.RequireAsync) -> the roles that policy lets through.
    private static readonly (string Action, string Policy, string[] Allowed)[] Actions =
    [
        ("tsm.register", PortalPolicies.Operator, [O]),
        ("tsm.approve", PortalPolicies.Operator, [O]),
        ("tsm.reject", PortalPolicies.Operator, [O]),
        ("tsm.suspend", PortalPolicies.Operator, [O]),
        ("tsm.reinstate", PortalPolicies.Operator, [O]),
        ("tsm.revoke", PortalPolicies.Operator, [O]),
        ("tsm.scope", PortalPolicies.Operator, [O]),
        ("tsm.certificate-add", PortalPolicies.Operator, [O]),
        ("tsm.certificate-retire", PortalPolicies.Operator, [O]),
        ("staff.invite", PortalPolicies.Administrator, [A]),
        ("staff.roles", PortalPolicies.Administrator, [A]),
        ("staff.disable", PortalPolicies.Administrator, [A]),
        ("staff.reset-2fa", PortalPolicies.Administrator, [A]),
        ("staff.unlock", PortalPolicies.Administrator, [A]),
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
    public async Task Actions_EveryRole_AllowedOrDeniedByTheirPolicy()
    {
        using var host = new PortalHost();
        host.StartServer();
        var failures = new List<string>();
        foreach (var role in StaffRoles.All)
        {
            await using var scope = host.Services.CreateAsyncScope();
            var user = new ClaimsPrincipal(new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, "someone@ttp.test"), new Claim(ClaimTypes.Email, "someone@ttp.test"), new Claim(ClaimTypes.Role, role)],
                authenticationType: "Test"));
            var staff = new StaffAuthorization(new Signed(user), scope.ServiceProvider.GetRequiredService<IAuthorizationService>());
            foreach (var (action, policy, allowed) in Actions)
            {
                Actor? actor = null;
                var refused = await Record.ExceptionAsync(async () => actor = await staff.RequireAsync(policy));
                var expectedAllowed = allowed.Contains(role);
                if (expectedAllowed != (refused is null) || (refused is not null and not AccessDeniedException))
                {
                    failures.Add($"{role} {action}: expected {(expectedAllowed ? "allowed" : "denied")}, got {refused?.GetType().Name ?? "allowed"}");
                }
                else if (actor is not null)
                {
                    Assert.Equal("user:someone@ttp.test", actor.Id);
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Actions_NobodySignedIn_Denied()
    {
        using var host = new PortalHost();
        host.StartServer();
        await using var scope = host.Services.CreateAsyncScope();
        var staff = new StaffAuthorization(new Signed(new ClaimsPrincipal(new ClaimsIdentity())), scope.ServiceProvider.GetRequiredService<IAuthorizationService>());

        foreach (var (_, policy, _) in Actions)
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => staff.RequireAsync(policy));
        }
    }

    private sealed class Signed(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
