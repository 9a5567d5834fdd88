using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Staff;
using Ttp.Portal.Hosting;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Components.Keks;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Hosting;

/// <summary>
/// The portal's ceremony expiry timer over the real domain (SQLite and PostgreSQL) and a <see cref="FakeTimeProvider"/>:
/// it sweeps only once the domain is ready, every <see cref="CeremonyOptions.SweepSeconds"/> of the portal's clock, and
/// expires a ceremony once it is overdue, not before.
/// </summary>
public sealed class CeremonyExpiryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task Sweep_ClockPastExpiry_ExpiresTheCeremonyNotBefore(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer, provider, clock);
        await domain.AddCeremonyStaffAsync();
        var ceremonies = domain.Ceremonies();
        var opened = await ceremonies.OpenIssuerMasterKeyImportAsync(
            new IssuerKeyImport("A0000001", 1, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11), 16, 2, null, Actor.Staff(KekWorld.CeremonyOfficer));
        Assert.Equal(clock.GetUtcNow().AddMinutes(60), opened.ExpiresAt);
        var status = new PortalStatus();
        using var log = new CapturedLog();
        using var expiry = new CeremonyExpiry(
            ceremonies, status, Options.Create(new CeremonyOptions { SweepSeconds = 60 }), clock, new Logger<CeremonyExpiry>(new LoggerFactory([log])));

        await expiry.StartAsync(CancellationToken.None);
        try
        {
            // Nothing before the domain is ready, however much time passes.
            clock.Advance(TimeSpan.FromMinutes(5));
            await Task.Delay(200);
            Assert.Equal(0, expiry.Sweeps);

            status.SetDomainReady(new DomainStatus(provider, "test-lmk", SoftwareLmk: true, AuditRecords: 0));
            await WaitForSweepsAsync(expiry, 1);

            // One sweep per minute of the portal's clock; 59 minutes after opening the ceremony is still open.
            clock.Advance(TimeSpan.FromMinutes(54));
            await WaitForSweepsAsync(expiry, 2);
            Assert.Equal(CeremonyState.Open, (await ceremonies.GetAsync(opened.Id))!.State);
            clock.Advance(TimeSpan.FromSeconds(59));
            await Task.Delay(200);
            Assert.Equal(2, expiry.Sweeps);

            clock.Advance(TimeSpan.FromSeconds(1));
            await WaitForSweepsAsync(expiry, 3);

            var expired = (await ceremonies.GetAsync(opened.Id))!;
            Assert.Equal((CeremonyState.Expired, Actor.System.Id), (expired.State, expired.ClosedBy));
            Assert.Null(expired.PartialEnvelope);
            Assert.Contains(log.Lines, l => l.Category.EndsWith(nameof(CeremonyExpiry), StringComparison.Ordinal) && l.Message.Contains("1 overdue ceremonies expired", StringComparison.Ordinal));
            Assert.Contains(await domain.AuditQueries().RecentStaffActionsAsync(20), e => e.Action == "ceremony.expired");
        }
        finally
        {
            await expiry.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Sweep_DatabaseGone_LoggedAndTheNextSweepRuns()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer, DatabaseProvider.Sqlite, clock);
        var status = new PortalStatus();
        using var log = new CapturedLog();
        using var expiry = new CeremonyExpiry(
            domain.Ceremonies(), status, Options.Create(new CeremonyOptions()), clock, new Logger<CeremonyExpiry>(new LoggerFactory([log])));
        status.SetDomainReady(new DomainStatus(DatabaseProvider.Sqlite, "test-lmk", SoftwareLmk: true, AuditRecords: 0));
        await domain.ExecuteSqlAsync("ALTER TABLE ceremonies RENAME TO ceremonies_gone");

        await expiry.StartAsync(CancellationToken.None);
        try
        {
            await WaitForSweepsAsync(expiry, 1);
            clock.Advance(TimeSpan.FromSeconds(60));
            await WaitForSweepsAsync(expiry, 2);
        }
        finally
        {
            await expiry.StopAsync(CancellationToken.None);
        }

        var failures = log.Lines.Where(l => l.Level == LogLevel.Error && l.Message.Contains("the sweep failed", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains("ceremonies", failures[0].Message, StringComparison.Ordinal);
    }

    private static async Task WaitForSweepsAsync(CeremonyExpiry expiry, int count)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (expiry.Sweeps < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} sweeps, saw {expiry.Sweeps}");
            await Task.Delay(20);
        }

        Assert.Equal(count, expiry.Sweeps);
    }
}
