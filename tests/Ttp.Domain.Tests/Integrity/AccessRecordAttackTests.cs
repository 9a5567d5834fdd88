using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using Ttp.Domain.Tsms;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.Integrity;

/// <summary>
/// A database writer without the LMK edits the rows that decide who gets which key (SQL only, against a running
/// key-request service): the edited row fails its MAC, counts as absent, and the failure is audited once; the
/// records of an older installation get their MACs once at start-up, and never again.
/// </summary>
public sealed class AccessRecordAttackTests
{
    private const string OtherIin = "B0000002";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_ScopeRowCopiedFromAnotherTsm_ScopeDeniedAndAudited(DatabaseProvider provider)
    {
        await using var env = await InstallationAsync(provider);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddTsmAsync("globex", [OtherIin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(OtherIin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var request = Request(KddOpenJavaCard, E0BasicDes, iin: OtherIin);
        Assert.Equal(KeyDistributionFaultCode.ScopeDenied, (await RefusedAsync(env, request, acme)).Code);

        // globex's scope row, MAC and all, copied onto acme under a new id.
        var id = NewIdSql(env);
        Assert.Equal(1, await env.ExecuteRawAsync(
            $"INSERT INTO tsm_issuer_scope (id, tsm_id, iin, record_mac) SELECT {id}, (SELECT id FROM tsms WHERE name = 'acme'), iin, record_mac " +
            $"FROM tsm_issuer_scope WHERE tsm_id = (SELECT id FROM tsms WHERE name = 'globex')"));

        var refused = await RefusedAsync(env, request, acme);

        Assert.Equal(KeyDistributionFaultCode.ScopeDenied, refused.Code);
        var alarm = Assert.Single(await AlarmsAsync(env));
        Assert.Contains($"issuer {OtherIin}", alarm.Subject, StringComparison.Ordinal);
        await RefusedAsync(env, request, acme);
        Assert.Single(await AlarmsAsync(env));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_SuspendedTsmSetActiveInSql_NotAccreditedNotPinnedAndAudited(DatabaseProvider provider)
    {
        await using var env = await InstallationAsync(provider);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var request = Request(KddOpenJavaCard, E0BasicDes);
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, acme)).Keys.Count);
        await env.Services.GetRequiredService<TsmService>().SuspendAsync("acme", "audit finding", KeyRequestEnvironment.Registrar);
        Assert.Equal(KeyDistributionFaultCode.NotAccredited, (await RefusedAsync(env, request, acme)).Code);

        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE tsms SET state = {(int)TsmState.Active} WHERE name = 'acme'"));

        Assert.Equal(KeyDistributionFaultCode.NotAccredited, (await RefusedAsync(env, request, acme)).Code);
        await env.Pins.RefreshAsync();
        Assert.False(env.Pins.IsPinned(acme.CertificateSha256Thumbprint));
        var alarm = Assert.Single(await AlarmsAsync(env));
        Assert.Contains("TSM 'acme'", alarm.Subject, StringComparison.Ordinal);
    }

    public static TheoryData<DatabaseProvider, string, string> RowEdits()
    {
        var data = new TheoryData<DatabaseProvider, string, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            data.Add(provider, "rate limit raised", "UPDATE tsms SET rate_limit_per_second = 9999 WHERE name = 'acme'");
            data.Add(provider, "certificate validity extended", "UPDATE tsm_certificates SET not_after = not_after + 1 WHERE tsm_id = (SELECT id FROM tsms WHERE name = 'acme')");
            data.Add(provider, "certificate re-pointed", "UPDATE tsm_certificates SET tsm_id = (SELECT id FROM tsms WHERE name = 'globex') WHERE tsm_id = (SELECT id FROM tsms WHERE name = 'acme')");
            data.Add(provider, "MAC removed", "UPDATE tsms SET record_mac = NULL WHERE name = 'acme'");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RowEdits))]
    public async Task GetDiversifiedKeys_AccessRowEditedInSql_NoKeyAndAudited(DatabaseProvider provider, string edit, string sql)
    {
        await using var env = await InstallationAsync(provider);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddTsmAsync("globex", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var request = Request(KddOpenJavaCard, E0BasicDes);
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, acme)).Keys.Count);
        if (sql.Contains("not_after + 1", StringComparison.Ordinal) && provider == DatabaseProvider.Postgres)
        {
            sql = sql.Replace("not_after + 1", "not_after + interval '1 day'", StringComparison.Ordinal);
        }

        Assert.Equal(1, await env.ExecuteRawAsync(sql));

        var refused = await RefusedAsync(env, request, acme);
        Assert.True(refused.Code == KeyDistributionFaultCode.NotAccredited, $"{edit}: {refused.Code}");
        Assert.Single(await AlarmsAsync(env));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RecordKey_DeletedWhileRecordsCarryMacs_IntegrityFailureNotANewKey(DatabaseProvider provider)
    {
        await using var env = await InstallationAsync(provider);
        await env.AddTsmAsync("acme", [Iin]);

        Assert.Equal(1, await env.ExecuteRawAsync($"DELETE FROM system_keys WHERE id = {IdSql(env, SystemKey.RecordKeyId)}"));

        using var holder = new RecordKeyHolder(env.Database.Factory, env.Services.GetRequiredService<KeyVault>());
        var error = await Assert.ThrowsAsync<IntegrityException>(() => holder.GetAsync());
        Assert.Contains("RecordKey", error.Message, StringComparison.Ordinal);
        await using var db = env.Database.Factory.CreateDbContext();
        Assert.False(await db.SystemKeys.AnyAsync(k => k.Id == SystemKey.RecordKeyId));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AuditKey_DeletedWhileTheTrailHoldsRecords_IntegrityFailureNotANewKey(DatabaseProvider provider)
    {
        await using var env = await InstallationAsync(provider);
        await env.AddTsmAsync("acme", [Iin]);

        Assert.Equal(1, await env.ExecuteRawAsync($"DELETE FROM system_keys WHERE id = {IdSql(env, SystemKey.AuditKeyId)}"));

        using var holder = new AuditKeyHolder(env.Database.Factory, env.Services.GetRequiredService<KeyVault>());
        var error = await Assert.ThrowsAsync<IntegrityException>(() => holder.GetAsync());
        Assert.Contains("AuditKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("audit trail holds records", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Initialize_PreviousReleaseRecordsWithoutMacs_AuthenticatedOnceAuditedThenRefusedWhenStripped(DatabaseProvider provider)
    {
        await using var env = await InstallationAsync(provider);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var request = Request(KddOpenJavaCard, E0BasicDes);
        // The previous release's shape: no MACs, and no marker.
        foreach (var table in new[] { "tsms", "tsm_certificates", "tsm_issuer_scope" })
        {
            await env.ExecuteRawAsync($"UPDATE {table} SET record_mac = NULL");
        }

        File.Delete(env.Services.GetRequiredService<AccessRecordUpgrade>().MarkerPath);

        await DomainInitializer.InitializeAsync(env.Services);
        await DomainInitializer.InitializeAsync(env.Services);

        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, acme)).Keys.Count);
        await using (var db = env.Database.Factory.CreateDbContext())
        {
            Assert.False(await db.Tsms.AnyAsync(t => t.RecordMac == null));
            Assert.False(await db.TsmCertificates.AnyAsync(c => c.RecordMac == null));
            var upgrade = Assert.Single(await db.AuditEvents.AsNoTracking().Where(e => e.Action == "integrity.records-authenticated").ToListAsync());
            Assert.Contains("\"records\":3", upgrade.Details, StringComparison.Ordinal);
        }

        // After the conversion, stripping a MAC does not get it a new one: the scope entry is simply absent.
        await env.ExecuteRawAsync("UPDATE tsm_issuer_scope SET record_mac = NULL");
        await DomainInitializer.InitializeAsync(env.Services);
        Assert.Equal(KeyDistributionFaultCode.ScopeDenied, (await RefusedAsync(env, request, acme)).Code);
    }

    private static Task<KeyRequestEnvironment> InstallationAsync(DatabaseProvider provider) => KeyRequestEnvironment.CreateAsync(provider);

    private static async Task<KeyRequestRefusedException> RefusedAsync(KeyRequestEnvironment env, KeyRequest request, KeyRequestCaller caller) =>
        await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(request, caller));

    private static async Task<List<Ttp.Domain.Audit.AuditEvent>> AlarmsAsync(KeyRequestEnvironment env)
    {
        await using var db = env.Database.Factory.CreateDbContext();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Action == IntegrityAlarm.RecordRejectedAction).ToListAsync();
    }

    // A GUID literal as each provider stores it (SQLite: upper-case text; PostgreSQL: uuid).
    private static string IdSql(KeyRequestEnvironment env, Guid id) =>
        env.Database.Provider == DatabaseProvider.Sqlite ? $"'{id.ToString().ToUpperInvariant()}'" : $"'{id}'";

    private static string NewIdSql(KeyRequestEnvironment env) => IdSql(env, Guid.NewGuid());
}
