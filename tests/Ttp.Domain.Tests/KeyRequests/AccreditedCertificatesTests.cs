using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Ttp.Domain.Data;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tsms;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.KeyRequests;

public sealed class AccreditedCertificatesTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task IsPinned_CertificateStates_OnlyCurrentCertificatesOfActiveOrSuspendedTsms(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var active = await env.AddTsmAsync("active", [Iin]);
        var pending = await env.AddTsmAsync("pending", [Iin], approve: false);
        var suspended = await env.AddTsmAsync("suspended", [Iin]);
        var revoked = await env.AddTsmAsync("revoked", [Iin]);
        var retired = await env.AddTsmAsync("retired", [Iin]);
        var expired = await env.AddTsmAsync("expired", [Iin]);

        // The first handshake loads the snapshot.
        Assert.True(env.Pins.IsPinned(revoked.CertificateSha256Thumbprint));

        var tsms = (TsmService)env.Services.GetService(typeof(TsmService))!;
        var staff = Actor.Staff(KeyRequestEnvironment.OperatorA);
        await tsms.SuspendAsync("suspended", "audit finding", staff);
        await tsms.RevokeAsync("revoked", "contract ended", staff);
        await env.ExecuteRawAsync($"UPDATE tsm_certificates SET retired_at = {env.PastTimestampSql} WHERE sha256thumbprint = '{retired.CertificateSha256Thumbprint}'");
        await env.ExecuteRawAsync($"UPDATE tsm_certificates SET not_after = {env.PastTimestampSql} WHERE sha256thumbprint = '{expired.CertificateSha256Thumbprint}'");
        await env.Pins.RefreshAsync();

        Assert.True(env.Pins.IsPinned(active.CertificateSha256Thumbprint));
        Assert.True(env.Pins.IsPinned(active.CertificateSha256Thumbprint.ToLowerInvariant()));
        Assert.True(env.Pins.IsPinned(suspended.CertificateSha256Thumbprint));
        Assert.False(env.Pins.IsPinned(pending.CertificateSha256Thumbprint));
        Assert.False(env.Pins.IsPinned(revoked.CertificateSha256Thumbprint));
        Assert.False(env.Pins.IsPinned(retired.CertificateSha256Thumbprint));
        Assert.False(env.Pins.IsPinned(expired.CertificateSha256Thumbprint));
        Assert.False(env.Pins.IsPinned(new string('A', 64)));
        Assert.False(env.Pins.IsPinned(string.Empty));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task IsPinned_AfterRefreshInterval_ChecksTheDatabaseAndKeepsLastCopyWhenTheCheckFails(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await KeyRequestEnvironment.CreateAsync(provider, configure: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddFakeLogging();
        });
        var active = await env.AddTsmAsync("active", [Iin]);
        var revoked = await env.AddTsmAsync("revoked", [Iin]);
        await env.Pins.RefreshAsync();
        var log = env.Services.GetRequiredService<FakeLogCollector>();

        // Positive control: a revocation made behind the pins' back (plain SQL) is not seen within the interval, and is
        // seen through IsPinned alone once the interval has passed (the handshake starts the check in the background).
        await env.ExecuteRawAsync($"UPDATE tsms SET state = {(int)TsmState.Revoked} WHERE name = 'revoked'");
        Assert.True(env.Pins.IsPinned(revoked.CertificateSha256Thumbprint));
        clock.Advance(AccreditedCertificates.RefreshInterval + TimeSpan.FromSeconds(1));
        Assert.True(await EventuallyAsync(() => !env.Pins.IsPinned(revoked.CertificateSha256Thumbprint)), "the revocation was never seen");
        Assert.DoesNotContain(log.GetSnapshot(), r => r.Id.Name == "PinRefreshFailed");

        // The check fails (the version table is gone; a deleted SQLite file would still be read through the directory's
        // open connection): the next check, started by a handshake after the interval, fails and is logged, and the
        // handshake keeps answering from the last copy.
        await env.ExecuteRawAsync($"ALTER TABLE {DirectoryVersion.Table} RENAME TO {DirectoryVersion.Table}_gone");
        clock.Advance(AccreditedCertificates.RefreshInterval + TimeSpan.FromSeconds(1));
        Assert.True(env.Pins.IsPinned(active.CertificateSha256Thumbprint));
        Assert.True(await EventuallyAsync(() => log.GetSnapshot().Any(r => r.Id.Name == "PinRefreshFailed")), "no refresh was attempted");

        Assert.True(env.Pins.IsPinned(active.CertificateSha256Thumbprint));
        Assert.False(env.Pins.IsPinned(revoked.CertificateSha256Thumbprint));
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }
}
