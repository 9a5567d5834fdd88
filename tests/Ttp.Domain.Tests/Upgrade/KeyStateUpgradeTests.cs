using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.Upgrade;

/// <summary>
/// An installation of the release before key states were authenticated: its access records were converted already
/// (their marker exists), its KEKs and key sets carry no MAC. The start-up gives them MACs once, audited, under a marker
/// of its own; a KEK without a MAC written afterwards is rejected, never given one.
/// </summary>
public sealed class KeyStateUpgradeTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Initialize_KeyRowsWithoutMacsAfterTheAccessRecordConversion_AuthenticatedOnceThenAMacLessRowRejected(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var request = Request(KddOpenJavaCard, E0BasicDes);
        var upgrade = env.Services.GetRequiredService<KeyStateUpgrade>();
        var accessMarker = env.Services.GetRequiredService<AccessRecordUpgrade>().MarkerPath;
        Assert.NotEqual(accessMarker, upgrade.MarkerPath);

        // The previous release's shape: no MACs on keks and key sets, the access-record marker present, not the new one.
        await env.ExecuteRawAsync("UPDATE keks SET record_mac = NULL");
        await env.ExecuteRawAsync("UPDATE issuer_key_sets SET record_mac = NULL");
        File.Delete(upgrade.MarkerPath);
        Assert.True(File.Exists(accessMarker));

        await DomainInitializer.InitializeAsync(env.Services);
        await using (var restarted = env.NewProcess())
        {
            await DomainInitializer.InitializeAsync(restarted);
        }

        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, acme)).Keys.Count);
        Assert.True(File.Exists(upgrade.MarkerPath));
        var authenticator = await env.Services.GetRequiredService<RecordKeyHolder>().GetAsync();
        await using (var db = env.Database.Factory.CreateDbContext())
        {
            IAuthenticatedRecord[] rows = [.. await db.Keks.AsNoTracking().ToListAsync(), .. await db.IssuerKeySets.AsNoTracking().ToListAsync()];
            Assert.Equal(2, rows.Length);
            Assert.All(rows, r => Assert.True(authenticator.IsAuthentic(r), r.Describe()));
            var conversion = Assert.Single(await db.AuditEvents.AsNoTracking().Where(e => e.Action == KeyStateUpgrade.AuthenticatedAction).ToListAsync());
            Assert.Contains("\"keks\":1", conversion.Details, StringComparison.Ordinal);
            Assert.Contains("\"keySets\":1", conversion.Details, StringComparison.Ordinal);
            Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == IntegrityAlarm.RecordRejectedAction));
        }

        // After the conversion, a KEK stripped of its MAC (or written without one) is not given one: it is absent.
        Assert.Equal(1, await env.ExecuteRawAsync("UPDATE keks SET record_mac = NULL"));
        await DomainInitializer.InitializeAsync(env.Services);

        var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(request, acme));
        Assert.Equal(KeyDistributionFaultCode.UnknownKek, refused.Code);
        await using (var db = env.Database.Factory.CreateDbContext())
        {
            Assert.True(await db.Keks.AnyAsync(k => k.RecordMac == null));
            Assert.Single(await db.AuditEvents.AsNoTracking().Where(e => e.Action == KeyStateUpgrade.AuthenticatedAction).ToListAsync());
            var alarm = Assert.Single(await db.AuditEvents.AsNoTracking().Where(e => e.Action == IntegrityAlarm.RecordRejectedAction).ToListAsync());
            Assert.StartsWith("KEK 1 v1 ", alarm.Subject, StringComparison.Ordinal);
        }
    }
}
