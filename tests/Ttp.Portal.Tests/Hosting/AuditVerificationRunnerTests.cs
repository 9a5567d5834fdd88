using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Staff;
using Ttp.Portal.Hosting;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Hosting;

/// <summary>The background runner over the real domain and SQLite: a started verification runs to its end without a page; a stopped runner starts none.</summary>
public sealed class AuditVerificationRunnerTests
{
    private const string Auditor = "auditor@ttp.example";

    [Fact]
    public async Task StartAsync_NoPageFollowing_RunsToTheEndAndRecordsTheResult()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        var runner = domain.Context.Services.GetRequiredService<AuditVerificationRunner>();

        var started = await runner.StartAsync(Actor.Staff(Auditor));
        await runner.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var row = await domain.Context.Services.GetRequiredService<AuditVerificationQueries>().FindAsync(started.Id);
        Assert.Equal(AuditVerificationState.Passed, row!.State);
        Assert.Equal("user:" + Auditor, row.StartedBy);
        Assert.True(row.RecordsChecked >= started.TotalRecords);
    }

    [Fact]
    public async Task StartAsync_AfterStop_Refused()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        var runner = domain.Context.Services.GetRequiredService<AuditVerificationRunner>();
        await runner.StopAsync(CancellationToken.None);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => runner.StartAsync(Actor.Staff(Auditor)));

        Assert.Null(await domain.Context.Services.GetRequiredService<AuditVerificationQueries>().LatestAsync());
    }
}
