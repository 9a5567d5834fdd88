using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;
using Ttp.Portal.Hosting;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Hosting;

/// <summary>
/// The portal's rollup timer over the real domain and a <see cref="FakeTimeProvider"/>: nothing before the domain is
/// ready, then the key requests written through the audit writer are counted, and the ones written later after one
/// more interval of the portal's clock.
/// </summary>
public sealed class KeyRequestRollupTimerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Run_DomainReadyThenInterval_CountsTheRecordsWrittenMeanwhile()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Auditor, time: clock);
        var services = domain.Context.Services;
        var writer = services.GetRequiredService<AuditWriter>();
        var rollup = services.GetRequiredService<KeyRequestRollup>();
        await writer.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm("acme"), "issuer-key:A0000001/1", AuditRecord.OutcomeOk, new { Tsm = "acme", LatencyMicroseconds = 900 }));
        var head = await writer.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm("acme"), "issuer:A0000001", "ScopeDenied", new { Tsm = "acme" }));
        var status = new PortalStatus();
        using var timer = new KeyRequestRollupTimer(rollup, status, clock, NullLogger<KeyRequestRollupTimer>.Instance);

        await timer.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(200);
            Assert.Equal(0, await rollup.WatermarkAsync());

            status.SetDomainReady(new DomainStatus(DatabaseProvider.Sqlite, "test-lmk", SoftwareLmk: true, AuditRecords: 0));
            await WaitForWatermarkAsync(rollup, head);

            var later = await writer.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm("globex"), "issuer-key:A0000001/1", AuditRecord.OutcomeOk, new { Tsm = "globex" }));
            await Task.Delay(200);
            Assert.Equal(head, await rollup.WatermarkAsync());
            clock.Advance(KeyRequestRollupTimer.Interval);
            await WaitForWatermarkAsync(rollup, later);

            await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<TtpDbContext>>().CreateDbContextAsync();
            Assert.Equal(3, db.KeyRequestRollup.Sum(r => r.Requests));
        }
        finally
        {
            await timer.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitForWatermarkAsync(KeyRequestRollup rollup, long sequence)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (await rollup.WatermarkAsync() < sequence)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the watermark did not reach {sequence}");
            await Task.Delay(50);
        }
    }
}
