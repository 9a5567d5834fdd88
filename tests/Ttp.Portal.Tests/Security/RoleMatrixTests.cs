using System.Net;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Staff;
using Ttp.Portal.Security;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;

namespace Ttp.Portal.Tests.Security;

/// <summary>
/// The role matrix: every portal page and every state-changing action against every role, allowed or denied, on the
/// real portal: pages through real sign-in (password and TOTP, cookies); actions through the edge services the pages
/// call (TsmAccreditation, StaffAdministration, IssuerKeyAdministration, KekAdministration) with the portal's own policies, against the real domain and database.
/// The actions, with the state each must leave behind, are the table of <see cref="RoleMatrixActions"/>.
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
        ("/audit/integrity", [S, U]),
        ("/audit/alerts", [S, U]),
        ("/audit/activity", [S, U]),
        ("/audit/key-requests", [O, S, U]),
        ("/audit/key-requests?tsm=acme&record=1", [O, S, U]),
        ("/audit/actions", [S, U]),
        ("/issuer-keys", [S, U]),
        ("/issuer-keys/A0000001/1", [S, U]),
        ("/ceremonies", [S, K, U]),
        ("/ceremonies/00000000-0000-0000-0000-000000000001", [S, K, U]),

        // Public: the enrolment page of an invitation (a signed-in visitor is told to sign out first).
        ("/account/enrol", [A, O, S, K, U]),

        // The own account: every role.
        ("/account", [A, O, S, K, U]),
        ("/account/password", [A, O, S, K, U]),
        ("/account/recovery-codes", [A, O, S, K, U]),
    ];

    [Fact]
    public async Task Pages_EveryRole_AllowedOrDenied()
    {
        using var host = new PortalHost();
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        await host.AddKeySetAsync("A0000001", 1, Ttp.Domain.IssuerKeys.SecureChannelScheme.Scp02, Ttp.Crypto.GlobalPlatform.DiversificationMethod.EmvCps11, new byte[16]);
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
    public async Task Pages_NobodySignedIn_OnlyTheEnrolmentPageShown()
    {
        using var host = new PortalHost();
        using var browser = host.CreateBrowser();
        var failures = new List<string>();

        foreach (var (path, _) in Pages)
        {
            var page = await browser.GetPageAsync(path);
            var shown = page.Status == HttpStatusCode.OK && !page.Path.StartsWith("/account/login", StringComparison.Ordinal);
            var expectedShown = path == "/account/enrol";
            if (shown != expectedShown)
            {
                failures.Add($"nobody {path}: expected {(expectedShown ? "shown" : "sign-in")}, got {(int)page.Status} at {page.Path}");
            }
        }

        Assert.Empty(failures);
        Assert.Contains("data-testid=\"enrol-open\"", (await browser.GetPageAsync("/account/enrol")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actions_EveryRole_AllowedOrDeniedAndNothingChangedWhenDenied()
    {
        using var world = new RoleMatrixWorld();
        var failures = new List<string>();
        foreach (var role in StaffRoles.All)
        {
            var email = "matrix-" + role.ToLowerInvariant() + "@ttp.test";
            await world.AddActorAsync(email, role);
            failures.AddRange(await RunActionsAsync(world, role, RoleMatrixWorld.Principal(email, role), email, a => a.Allowed.Contains(role)));
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Actions_NobodySignedIn_Denied()
    {
        using var world = new RoleMatrixWorld();
        var nobody = new ClaimsPrincipal(new ClaimsIdentity());

        var failures = await RunActionsAsync(world, "nobody", nobody, "nobody@ttp.test", _ => false);

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>
    /// Runs every action of <see cref="RoleMatrixActions"/> as <paramref name="user"/> on a subject of its own and returns
    /// what went wrong: an allowed call must succeed, have its effect (read right after it) and be audited by the actor; a
    /// denied call must throw <see cref="AccessDeniedException"/> and change neither the subject nor the audit trail.
    /// </summary>
    private static async Task<IReadOnlyList<string>> RunActionsAsync(
        RoleMatrixWorld world, string who, ClaimsPrincipal user, string email, Func<MatrixAction, bool> isAllowed)
    {
        var failures = new List<string>();
        await using var scope = world.Services.CreateAsyncScope();
        var edges = world.EdgesFor(user, scope.ServiceProvider);
        foreach (var action in RoleMatrixActions.All)
        {
            var subject = new MatrixSubject(world, SubjectName(world, action, who), email);
            await action.Arrange(subject);
            var before = await action.Observe(subject);
            var expected = action.Expected(subject);
            var allowed = isAllowed(action);
            var head = await world.AuditHeadAsync();

            var thrown = await Record.ExceptionAsync(() => action.Call(edges, subject));

            var after = await action.Observe(subject);
            var audit = await world.AuditSinceAsync(head);
            void Fail(string problem) => failures.Add($"{who} {action}: {problem}");
            if (allowed)
            {
                if (before == expected)
                {
                    Fail($"the arrangement already reads '{expected}', so the effect proves nothing");
                }

                if (thrown is not null)
                {
                    Fail($"expected allowed, got {thrown.GetType().Name}: {thrown.Message}");
                }

                if (after != expected)
                {
                    Fail($"expected '{expected}', read '{after}'");
                }

                var record = $"{action.Audit} by user:{email} on {subject.AuditSubject}";
                if (!audit.Contains(record))
                {
                    Fail($"not audited: no '{record}' among [{string.Join("; ", audit)}]");
                }
            }
            else
            {
                if (thrown is not AccessDeniedException)
                {
                    Fail($"expected denied, got {thrown?.GetType().Name ?? "done"}{(thrown is null ? "" : ": " + thrown.Message)}");
                }

                if (after != before)
                {
                    Fail($"denied, but the state changed from '{before}' to '{after}'");
                }

                if (audit.Count != 0)
                {
                    Fail($"denied, but the audit trail changed: [{string.Join("; ", audit)}]");
                }
            }
        }

        return failures;
    }

    // A TSM name, an e-mail address, a key set or a KEK of the subject's own, e.g. tsm-suspend-operator,
    // staff-roles-auditor@ttp.test, issuer-key:B0000001/7, kek:kek-activate-auditor/1 v2.
    private static string SubjectName(RoleMatrixWorld world, MatrixAction action, string who)
    {
        if (action.Name.StartsWith("issuer-key.", StringComparison.Ordinal))
        {
            return world.NextKeySetSubject();
        }

        if (action.Name.StartsWith("ceremony.", StringComparison.Ordinal))
        {
            return world.Ceremonies.NextSubject(action.Name, who);
        }

        var name = action.Name.Replace('.', '-') + "-" + who.ToLowerInvariant();
        if (action.Name.StartsWith("kek.", StringComparison.Ordinal))
        {
            // The KEK the action changes, as its audit subject: version 1 of index 1, or the version 2 a ceremony made.
            return MatrixSubject.KekSubject(name, 1, action.Name == "kek.activate" ? 2 : 1);
        }

        return action.Name.StartsWith("staff.", StringComparison.Ordinal) ? name + "@ttp.test" : name;
    }
}
