using Ttp.Domain.Data;
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
    public async Task IsPinned_DatabaseUnavailable_KeepsLastSnapshot(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var active = await env.AddTsmAsync("active", [Iin]);
        await env.Pins.RefreshAsync();

        await env.BreakDatabaseAsync();

        Assert.True(env.Pins.IsPinned(active.CertificateSha256Thumbprint));
    }
}
