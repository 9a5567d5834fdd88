using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.KeyStore;

/// <summary>
/// Issuer master keys and KEKs are sealed with the attributes that decide what they become or whom they serve, and their
/// rows carry a MAC over the same attributes: attacks by a database writer (SQL only, against a running key-request
/// service) find the row rejected (absent, raised) before the key is even opened, and an installation of the previous
/// release (format-1 envelopes) is converted once, audited, and then refuses format 1. That the envelope itself does not
/// open for changed attributes is shown by <see cref="Tests.Integrity.StoredKeyCheckTests"/>.
/// </summary>
public sealed class SealedAttributeTests
{
    public static TheoryData<DatabaseProvider, string, string> Attacks()
    {
        var data = new TheoryData<DatabaseProvider, string, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            // Method None: the card keys would be the issuer master key itself.
            data.Add(provider, "issuer method set to None", "UPDATE issuer_key_sets SET method = 0");
            data.Add(provider, "issuer key length changed", "UPDATE issuer_key_sets SET key_length = 24");
            // Another TSM's KEK re-pointed to this TSM (its own KEK moved out of the way).
            data.Add(provider, "KEK re-pointed to another TSM",
                "UPDATE keks SET tsm_id = (SELECT id FROM tsms WHERE name = 'acme'), \"index\" = 1 WHERE tsm_id = (SELECT id FROM tsms WHERE name = 'globex')");
            data.Add(provider, "KEK delivery format changed", "UPDATE keks SET format = 3 - format WHERE tsm_id = (SELECT id FROM tsms WHERE name = 'acme')");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task GetDiversifiedKeys_AttributeChangedInSql_RefusedAsAbsentRaisedLoggedAndNoKey(DatabaseProvider provider, string attack, string sql)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider, configure: services => services.AddFakeLogging());
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddTsmAsync("globex", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKekAsync("globex", 1, KekAlgorithm.Aes128, KekFormat.Tr31, Hex.Parse(Aes128Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var request = Request(KddOpenJavaCard, E0BasicDes);
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, acme)).Keys.Count);
        if (attack.StartsWith("KEK re-pointed", StringComparison.Ordinal))
        {
            await env.ExecuteRawAsync("UPDATE keks SET \"index\" = 9 WHERE tsm_id = (SELECT id FROM tsms WHERE name = 'acme')");
        }

        Assert.Equal(1, await env.ExecuteRawAsync(sql));

        KeyRequestResult? result = null;
        var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(async () => result = await env.KeyRequests.GetDiversifiedKeysAsync(request, acme));

        // The changed row fails its MAC and counts as absent: the issuer's only key set, or the TSM's KEK 1.
        var kekAttack = attack.StartsWith("KEK", StringComparison.Ordinal);
        Assert.Equal(kekAttack ? KeyDistributionFaultCode.UnknownKek : KeyDistributionFaultCode.UnknownIssuer, refused.Code);
        Assert.Null(result);
        Assert.DoesNotContain("envelope", refused.Message, StringComparison.OrdinalIgnoreCase);
        var record = (await env.KeyRequestRecordsAsync())[^1];
        Assert.Equal(refused.Code.ToString(), record.Outcome);
        await using var db = env.Database.Factory.CreateDbContext();
        var alarms = await db.AuditEvents.AsNoTracking().Where(e => e.Action == Ttp.Domain.Integrity.IntegrityAlarm.RecordRejectedAction).ToListAsync();
        Assert.NotEmpty(alarms);
        Assert.All(alarms, a => Assert.StartsWith(kekAttack ? "KEK " : "issuer key set ", a.Subject, StringComparison.Ordinal));
        var critical = env.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Where(r => r.Level == LogLevel.Critical).ToList();
        Assert.Equal(alarms.Count, critical.Count);
        Assert.All(critical, c => Assert.Contains("does not match its MAC", c.Message, StringComparison.Ordinal));
        Assert.All(critical, c => Assert.DoesNotContain(Master16, c.Message, StringComparison.OrdinalIgnoreCase));
        Assert.All(critical, c => Assert.DoesNotContain(Tdes2Kek, c.Message, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Initialize_PreviousReleaseEnvelopes_ResealedOnceWithAttributesAuditedAndKeysStillDelivered(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        var kek = await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        var set = await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        await WriteAsPreviousReleaseAsync(env, set.Id, kek.Id);
        var request = Request(KddOpenJavaCard, E0BasicDes);

        // Before the upgrade the service does not use a format-1 envelope.
        var before = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(request, acme));
        Assert.Equal(KeyDistributionFaultCode.ServiceUnavailable, before.Code);

        await DomainInitializer.InitializeAsync(env.Services);
        await DomainInitializer.InitializeAsync(env.Services);

        var formats = await FormatsAsync(env, set.Id, kek.Id);
        Assert.Equal([2, 2], formats);
        var keys = (await env.KeyRequests.GetDiversifiedKeysAsync(request, acme)).Keys;
        Assert.Equal("6438A05AC377DF302423BC5E2038FB5B", Hex.Encode(GpKeyEncryption.DecryptTdes(Hex.Parse(Tdes2Kek, "kek"), Hex.Parse(keys[0].Cryptogram!, "c"))));
        await using var db = env.Database.Factory.CreateDbContext();
        var conversions = await db.AuditEvents.AsNoTracking().Where(e => e.Action == "keystore.attributes-sealed").ToListAsync();
        Assert.Equal(2, conversions.Count);
        Assert.Contains(conversions, e => e.Details.Contains(set.Id.ToString(), StringComparison.Ordinal));
        Assert.Contains(conversions, e => e.Details.Contains(kek.Id.ToString(), StringComparison.Ordinal));
        var auditKey = await env.Services.GetRequiredService<AuditKeyHolder>().GetAsync();
        Assert.True((await Ttp.Domain.Audit.AuditVerifier.VerifyAsync(env.Database.Factory, auditKey)).IsValid);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Initialize_InterruptedConversion_ResumesWithTheRest(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        await env.AddTsmAsync("acme", [Iin]);
        var kek = await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        var set = await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        // The shape an interrupted run leaves: the key set converted, the KEK not yet, no marker.
        await WriteAsPreviousReleaseAsync(env, null, kek.Id);

        await DomainInitializer.InitializeAsync(env.Services);

        var formats = await FormatsAsync(env, set.Id, kek.Id);
        Assert.Equal([2, 2], formats);
        await using var db = env.Database.Factory.CreateDbContext();
        var conversion = Assert.Single(await db.AuditEvents.AsNoTracking().Where(e => e.Action == "keystore.attributes-sealed").ToListAsync());
        Assert.Contains(kek.Id.ToString(), conversion.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Initialize_Format1EnvelopeWrittenBackAfterConversion_IntegrityFailureNamingTheRecord(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Hex.Parse(Tdes2Kek, "kek"));
        var set = await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var upgrade = env.Services.GetRequiredService<EnvelopeAttributeUpgrade>();
        Assert.True(File.Exists(upgrade.MarkerPath));

        // An old copy of the row (format 1, attributes not sealed) with the method changed to None, written back in SQL.
        await WriteAsPreviousReleaseAsync(env, set.Id, null, removeMarker: false);
        await env.ExecuteRawAsync("UPDATE issuer_key_sets SET method = 0");

        var error = await Assert.ThrowsAsync<IntegrityException>(() => DomainInitializer.InitializeAsync(env.Services));
        Assert.Contains($"IssuerMasterKey {set.Id:D}", error.Message, StringComparison.Ordinal);
        var formats = await FormatsAsync(env, set.Id);
        Assert.Equal([1], formats);
        // Its MAC fails too (the method is covered): the key set counts as absent, the issuer has none.
        var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), acme));
        Assert.Equal(KeyDistributionFaultCode.UnknownIssuer, refused.Code);
    }

    // Re-seals the given records as the previous release did (format 1: associated data without the attributes) and
    // removes the conversion marker, as on an installation that never ran this release.
    private static async Task WriteAsPreviousReleaseAsync(KeyRequestEnvironment env, Guid? setId, Guid? kekId, bool removeMarker = true)
    {
        var vault = env.Services.GetRequiredService<KeyVault>();
        await using var db = env.Database.Factory.CreateDbContext();
        if (setId is { } s)
        {
            var set = await db.IssuerKeySets.SingleAsync(k => k.Id == s);
            using var key = vault.Open(set.EnvelopeContext, set.Envelope);
            set.Seal(vault.Seal(set.EnvelopeContext.WithoutAttributes(), key.Bytes));
        }

        if (kekId is { } k)
        {
            var kek = await db.Keks.SingleAsync(x => x.Id == k);
            using var key = vault.Open(kek.EnvelopeContext, kek.Envelope);
            kek.Seal(vault.Seal(kek.EnvelopeContext.WithoutAttributes(), key.Bytes));
        }

        await db.SaveChangesAsync();
        if (removeMarker)
        {
            File.Delete(env.Services.GetRequiredService<EnvelopeAttributeUpgrade>().MarkerPath);
        }
    }

    private static async Task<int[]> FormatsAsync(KeyRequestEnvironment env, Guid setId, Guid? kekId = null)
    {
        await using var db = env.Database.Factory.CreateDbContext();
        var formats = new List<int> { (await db.IssuerKeySets.AsNoTracking().SingleAsync(k => k.Id == setId)).Envelope.FormatVersion };
        if (kekId is { } id)
        {
            formats.Add((await db.Keks.AsNoTracking().SingleAsync(k => k.Id == id)).Envelope.FormatVersion);
        }

        return [.. formats];
    }
}
