using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.Alerts;
using Ttp.Domain.Audit;
using Ttp.Domain.Staff;
using Ttp.Portal.Hosting;
using Ttp.Portal.Security;
using Ttp.Portal.Tests.Account;

namespace Ttp.Portal.Tests.Security;

/// <summary>
/// The role matrix of the auditor's two actions beside reading, through the edge the pages call
/// (<see cref="Ttp.Portal.Audit.AuditAdministration"/>) on the real portal: acknowledging an alert (raised by the real
/// scanner from two TSMs' answered requests for one card) and starting the verification of the whole trail. Auditors and
/// Security officers may; every other role, and nobody signed in, is refused with the alert still open and no
/// verification started in their name.
/// </summary>
public sealed class RoleMatrixAuditTests
{
    [Fact]
    public async Task AuditActions_EveryRole_OnlyAuditorsAndSecurityOfficers()
    {
        using var world = new RoleMatrixWorld();
        var failures = new List<string>();
        var card = 0;
        var people = StaffRoles.All.Select(r => (Who: r, Email: r.ToLowerInvariant() + "@audit-matrix.test", Roles: new[] { r }))
            .Append((Who: "nobody", Email: "nobody@audit-matrix.test", Roles: Array.Empty<string>()));
        foreach (var (who, email, roles) in people)
        {
            if (roles.Length > 0)
            {
                await world.AddStaffAsync(email, roles, roles[0] == StaffRoles.Auditor ? null : TestTotp.Key);
            }

            var user = roles.Length > 0 ? RoleMatrixWorld.Principal(email, roles[0]) : new ClaimsPrincipal(new ClaimsIdentity());
            var allowed = roles is [StaffRoles.Auditor] or [StaffRoles.SecurityOfficer];
            await using var scope = world.Services.CreateAsyncScope();
            var edges = world.EdgesFor(user, scope.ServiceProvider);
            void Check(bool ok, string problem)
            {
                if (!ok)
                {
                    failures.Add($"{who}: {problem}");
                }
            }

            // Acknowledge an alert.
            var alert = await RaiseSameCardAlertAsync(world, ++card);
            var thrown = await Record.ExceptionAsync(() => edges.Audit.AcknowledgeAlertAsync(alert, "seen"));
            var after = (await world.Services.GetRequiredService<AlertService>().ListAsync(true, AlertService.MaxList)).Single(a => a.Id == alert);
            Check(allowed ? thrown is null : thrown is AccessDeniedException, $"acknowledge: {(thrown is null ? "done" : thrown.GetType().Name + ": " + thrown.Message)}");
            Check(allowed
                ? after.State == AlertState.Acknowledged && after.AcknowledgedBy == "user:" + email
                : after.State == AlertState.Open, $"acknowledge left the alert {after.State} by {after.AcknowledgedBy}");

            // Start the verification of the whole trail.
            var runner = world.Services.GetRequiredService<AuditVerificationRunner>();
            await runner.WhenIdleAsync();
            thrown = await Record.ExceptionAsync(() => edges.Audit.StartVerificationAsync());
            await runner.WhenIdleAsync();
            var latest = await world.Services.GetRequiredService<AuditVerificationQueries>().LatestAsync();
            Check(allowed ? thrown is null : thrown is AccessDeniedException, $"verify: {(thrown is null ? "done" : thrown.GetType().Name + ": " + thrown.Message)}");
            Check(allowed == (latest?.StartedBy == "user:" + email), $"verify: the latest verification was started by {latest?.StartedBy ?? "nobody"}");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    // Two TSMs' answered requests for one card, through the real audit writer; the real scanner raises the alert.
    private static async Task<Guid> RaiseSameCardAlertAsync(RoleMatrixWorld world, int card)
    {
        var kdd = $"00000000000000{card:X6}";
        var writer = world.Services.GetRequiredService<AuditWriter>();
        foreach (var tsm in new[] { "acme", "globex" })
        {
            await writer.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm(tsm), "issuer-key:A0000001/1", AuditRecord.OutcomeOk,
                new { RequestId = Guid.NewGuid(), Tsm = tsm, Iin = "A0000001", Kdd = kdd, Kvn = 1, KekIndex = 1, Outcome = "ok", LatencyMicroseconds = 900 }));
        }

        await world.Services.GetRequiredService<AlertScanner>().ScanToHeadAsync();
        var alerts = await world.Services.GetRequiredService<AlertService>().ListAsync(false, AlertService.MaxList);
        return alerts.Single(a => a.Kind == AlertKind.SameCardTwoTsms && a.Subject.EndsWith(kdd, StringComparison.Ordinal)).Id;
    }
}
