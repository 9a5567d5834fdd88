using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.Integrity;

/// <summary>
/// The check behind the portal's "damaged records": every stored issuer master key and KEK is opened with its record's
/// attributes; one changed or re-pointed with SQL is named (never its key), logged at Critical and audited once.
/// </summary>
public sealed class StoredKeyCheckTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Run_UntouchedKeys_AllOpenAndNothingRaised(DatabaseProvider provider)
    {
        await using var env = await ArrangeAsync(provider);

        var report = await Check(env).RunAsync();

        Assert.Equal(3, report.Checked);
        Assert.Empty(report.Damaged);
        Assert.Empty(await AlarmsAsync(env));
        Assert.DoesNotContain(env.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Level == LogLevel.Critical);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Run_IssuerMethodSetToNoneInSql_NamesTheKeySetRaisedOnceLoggedAndAudited(DatabaseProvider provider)
    {
        await using var env = await ArrangeAsync(provider);
        Assert.Equal(1, await env.ExecuteRawAsync("UPDATE issuer_key_sets SET method = 0"));

        var first = await Check(env).RunAsync();
        var second = await Check(env).RunAsync();

        foreach (var report in new[] { first, second })
        {
            Assert.Equal(3, report.Checked);
            var damaged = Assert.Single(report.Damaged);
            Assert.Equal($"issuer key set IIN {Iin} KVN 255", damaged.Description);
            Assert.Contains("does not open", damaged.Problem, StringComparison.Ordinal);
        }

        var alarm = Assert.Single(await AlarmsAsync(env));
        Assert.Equal($"issuer key set IIN {Iin} KVN 255", alarm.Subject);
        Assert.Equal("rejected", alarm.Outcome);
        Assert.Equal(Actor.System.Id, alarm.Actor);
        var critical = Assert.Single(env.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Level == LogLevel.Critical);
        Assert.Contains($"issuer key set IIN {Iin} KVN 255", critical.Message, StringComparison.Ordinal);
        foreach (var text in new[] { critical.Message, alarm.Details, first.Damaged[0].Problem })
        {
            Assert.DoesNotContain(Master16, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Run_KeksRepointedAndRenumberedInSql_NamesEachUnderItsNewOwnerAndIndex(DatabaseProvider provider)
    {
        await using var env = await ArrangeAsync(provider);
        await env.ExecuteRawAsync("UPDATE keks SET \"index\" = 9 WHERE tsm_id = (SELECT id FROM tsms WHERE name = 'acme')");
        Assert.Equal(1, await env.ExecuteRawAsync(
            "UPDATE keks SET tsm_id = (SELECT id FROM tsms WHERE name = 'acme'), \"index\" = 1 WHERE tsm_id = (SELECT id FROM tsms WHERE name = 'globex')"));

        var report = await Check(env).RunAsync();

        // Both moved: globex's KEK now under acme as index 1, acme's own moved to index 9 to make room.
        string[] expected = ["KEK 1 of TSM acme", "KEK 9 of TSM acme"];
        Assert.Equal(expected, report.Damaged.Select(d => d.Description));
        Assert.Equal(expected, (await AlarmsAsync(env)).Select(a => a.Subject).Order(StringComparer.Ordinal));
    }

    private static async Task<KeyRequestEnvironment> ArrangeAsync(DatabaseProvider provider)
    {
        var env = await KeyRequestEnvironment.CreateAsync(provider, configure: services => services.AddFakeLogging());
        await env.AddTsmAsync("acme", [Iin]);
        await env.AddTsmAsync("globex", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKekAsync("globex", 1, KekAlgorithm.Aes128, KekFormat.Tr31, Hex.Parse(Aes128Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        return env;
    }

    private static StoredKeyCheck Check(KeyRequestEnvironment env) => env.Services.GetRequiredService<StoredKeyCheck>();

    private static async Task<IReadOnlyList<AuditEvent>> AlarmsAsync(KeyRequestEnvironment env)
    {
        await using var db = env.Database.Factory.CreateDbContext();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Action == IntegrityAlarm.KeyDamagedAction).ToListAsync();
    }
}
