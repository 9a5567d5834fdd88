using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Ttp.Domain;
using Ttp.Domain.Alerts;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;
using Ttp.Portal.Hosting;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Hosting;

/// <summary>
/// The portal's alert scanner timer over the real domain and a <see cref="FakeTimeProvider"/>: it scans only once the
/// domain is ready, then every <see cref="AlertOptions.ScanSeconds"/> of the portal's clock, raising what the new records hold.
/// </summary>
public sealed class AlertScanningTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Scan_RecordsWrittenBetweenScans_RaisedAtTheNextScan()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer, DatabaseProvider.Sqlite, clock);
        var services = domain.Context.Services;
        var status = new PortalStatus();
        using var log = new CapturedLog();
        using var scanning = new AlertScanning(services.GetRequiredService<AlertScanner>(), status, Options.Create(new AlertOptions { ScanSeconds = 30 }),
            clock, new Logger<AlertScanning>(new LoggerFactory([log])));

        await scanning.StartAsync(CancellationToken.None);
        try
        {
            await Task.Delay(200);
            Assert.Equal(0, scanning.Scans);
            status.SetDomainReady(new DomainStatus(DatabaseProvider.Sqlite, "test-lmk", SoftwareLmk: true, AuditRecords: 0));
            await WaitForScansAsync(scanning, 1);

            var audit = services.GetRequiredService<AuditWriter>();
            foreach (var tsm in new[] { "acme", "globex" })
            {
                await audit.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm(tsm), "issuer-key:A0000001/1", AuditRecord.OutcomeOk,
                    new { Tsm = tsm, Iin = "A0000001", Kdd = "00000000000000000001" }));
            }

            Assert.Equal(0, await services.GetRequiredService<AlertService>().OpenCountAsync());
            clock.Advance(TimeSpan.FromSeconds(30));
            await WaitForScansAsync(scanning, 2);

            Assert.Equal(1, await services.GetRequiredService<AlertService>().OpenCountAsync());
            Assert.Contains(log.Lines, l => l.Message.Contains("1 new alerts raised", StringComparison.Ordinal));
        }
        finally
        {
            await scanning.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitForScansAsync(AlertScanning scanning, int count)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (scanning.Scans < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} scans, saw {scanning.Scans}");
            await Task.Delay(20);
        }

        Assert.Equal(count, scanning.Scans);
    }
}
