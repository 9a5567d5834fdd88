using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tsms;

namespace Ttp.Domain.Tests.KeyStore;

/// <summary>One stored envelope, read back from any of the four tables that hold them.</summary>
public sealed record StoredEnvelope(string Table, Guid Id, EnvelopeContext Context, KeyEnvelope Envelope);

/// <summary>Fills a database with sealed keys of every kind and reads every envelope back.</summary>
public static class TestKeys
{
    private static readonly Actor Operator = Actor.Cli("keystore-test");

    /// <summary>A ceremony's partial has no context on the entity yet; the tests seal it under this one.</summary>
    public static EnvelopeContext CeremonyContext(Guid id) => new(id, KeyKind.CeremonyPartial, "TDES2", 1);

    /// <summary>
    /// Seals random keys into issuer key sets, KEKs (of one TSM), ceremonies (every other one with a partial) and the
    /// audit key; returns the clear keys by record id.
    /// </summary>
    public static async Task<Dictionary<Guid, byte[]>> SeedAsync(IDbContextFactory<TtpDbContext> factory, KeyVault vault, int issuerKeySets, int keks, int ceremonies)
    {
        var keys = new Dictionary<Guid, byte[]>();
        var now = DateTimeOffset.UtcNow;
        await using (var db = await factory.CreateDbContextAsync())
        {
            for (var i = 0; i < issuerKeySets; i++)
            {
                var key = RandomNumberGenerator.GetBytes(16);
                var set = IssuerKeySet.Create(Guid.NewGuid(), "A000000151", i + 1, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, 16, "000000", null, null, Operator, now);
                set.Seal(vault.Seal(set.EnvelopeContext, key));
                db.IssuerKeySets.Add(set);
                keys.Add(set.Id, key);
            }

            var tsm = Tsm.Register("tsm-" + Guid.NewGuid().ToString("N")[..8], "Test TSM", SelfSignedCertificate(), ["A000000151"], Operator, now);
            db.Tsms.Add(tsm);
            for (var i = 0; i < keks; i++)
            {
                var key = RandomNumberGenerator.GetBytes(32);
                var kek = Kek.Create(Guid.NewGuid(), tsm.Id, i + 1, KekAlgorithm.Aes256, KekFormat.Tr31, "000000", Operator, now);
                kek.Seal(vault.Seal(kek.EnvelopeContext, key));
                db.Keks.Add(kek);
                keys.Add(kek.Id, key);
            }

            for (var i = 0; i < ceremonies; i++)
            {
                var id = Guid.NewGuid();
                KeyEnvelope? partial = null;
                if (i % 2 == 0)
                {
                    var key = RandomNumberGenerator.GetBytes(16);
                    partial = vault.Seal(CeremonyContext(id), key);
                    keys.Add(id, key);
                }

                db.Ceremonies.Add(NewCeremony(id, partial, now));
            }

            await db.SaveChangesAsync();
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            using var audit = await vault.GetOrCreateAuditKeyAsync(db);
            keys.Add(SystemKey.AuditKeyId, audit.Bytes.ToArray());
        }

        return keys;
    }

    /// <summary>Every envelope in the database, with the context it was sealed for.</summary>
    public static async Task<List<StoredEnvelope>> ReadAllAsync(IDbContextFactory<TtpDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        var all = new List<StoredEnvelope>();
        all.AddRange((await db.IssuerKeySets.AsNoTracking().ToListAsync()).Select(s => new StoredEnvelope("issuer_key_sets", s.Id, s.EnvelopeContext, s.Envelope)));
        all.AddRange((await db.Keks.AsNoTracking().ToListAsync()).Select(k => new StoredEnvelope("keks", k.Id, k.EnvelopeContext, k.Envelope)));
        all.AddRange((await db.Ceremonies.AsNoTracking().Where(c => c.PartialEnvelope != null).ToListAsync())
            .Select(c => new StoredEnvelope("ceremonies", c.Id, CeremonyContext(c.Id), c.PartialEnvelope!)));
        all.AddRange((await db.SystemKeys.AsNoTracking().ToListAsync()).Select(k => new StoredEnvelope("system_keys", k.Id, k.EnvelopeContext, k.Envelope)));
        return all;
    }

    /// <summary>Opens every envelope and checks it against the key sealed into it (constant-time compare).</summary>
    public static void AssertAllOpen(KeyVault vault, IReadOnlyCollection<StoredEnvelope> envelopes, IReadOnlyDictionary<Guid, byte[]> expected)
    {
        Assert.Equal(expected.Count, envelopes.Count);
        foreach (var stored in envelopes)
        {
            using var key = vault.Open(stored.Context, stored.Envelope);
            Assert.True(CryptographicOperations.FixedTimeEquals(expected[stored.Id], key.Bytes), $"{stored.Table} {stored.Id}: the key changed");
        }
    }

    /// <summary>A throw-away self-signed client certificate for a TSM row.</summary>
    public static CertificateInfo SelfSignedCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=keystore-test-tsm", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return CertificateInfo.Read(certificate.RawData);
    }

    // A partial under a context of the seed's own (CeremonyContext), which CeremonyService would not make: set the persisted shape directly.
    private static Ceremony NewCeremony(Guid id, KeyEnvelope? partial, DateTimeOffset now)
    {
        var ceremony = (Ceremony)Activator.CreateInstance(typeof(Ceremony), nonPublic: true)!;
        Set(ceremony, nameof(Ceremony.Id), id);
        Set(ceremony, nameof(Ceremony.Kind), CeremonyKind.ImportKek);
        Set(ceremony, nameof(Ceremony.State), CeremonyState.CollectingComponents);
        Set(ceremony, nameof(Ceremony.Label), "test ceremony");
        Set(ceremony, nameof(Ceremony.ComponentsExpected), 2);
        Set(ceremony, nameof(Ceremony.ComponentsReceived), partial is null ? 0 : 1);
        Set(ceremony, nameof(Ceremony.PartialEnvelope), partial);
        Set(ceremony, nameof(Ceremony.OpenedBy), Operator.Id);
        Set(ceremony, nameof(Ceremony.OpenedAt), now);
        Set(ceremony, nameof(Ceremony.ExpiresAt), now.AddHours(1));
        return ceremony;
    }

    private static void Set(Ceremony ceremony, string property, object? value) =>
        typeof(Ceremony).GetProperty(property)!.SetValue(ceremony, value);
}
