using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.KeyStore;

[Collection(SoftHsmCollection.Name)]
public sealed class Pkcs11LmkProviderTests(SoftHsmToken token)
{
    private static readonly EnvelopeContext Record = new(Guid.NewGuid(), KeyKind.IssuerMasterKey, "AES128", 3);

    [Fact]
    public void Constructor_NoKeyWithTheLabel_GeneratesNonExtractableSensitiveAes256TokenKey()
    {
        var label = SoftHsmToken.NewKeyLabel();

        using var lmk = new Pkcs11LmkProvider(token.Options(label));
        var facts = lmk.DescribeKey(lmk.CurrentLmkId);

        Assert.Matches("^lmk-[0-9A-F]{6}$", lmk.CurrentLmkId);
        Assert.Equal(label, facts.Label);
        Assert.False(facts.Extractable);
        Assert.True(facts.Sensitive);
        Assert.True(facts.NeverExtractable);
        Assert.True(facts.AlwaysSensitive);
        Assert.True(facts.Token);
        Assert.Equal(32, facts.ValueLength);
        Assert.True(lmk.IsSoftware);
        Assert.Contains(SoftHsmToken.TokenLabel, lmk.Description);
    }

    [Fact]
    public void Constructor_KeyWithTheLabelExists_FindsItAgain()
    {
        var options = token.Options(SoftHsmToken.NewKeyLabel());
        using var first = new Pkcs11LmkProvider(options);

        using var second = new Pkcs11LmkProvider(options);

        Assert.Equal(first.CurrentLmkId, second.CurrentLmkId);
    }

    [Fact]
    public void Open_SealedUnderHsmLmk_ReturnsTheKeyAfterARestart()
    {
        var options = token.Options(SoftHsmToken.NewKeyLabel());
        var key = RandomNumberGenerator.GetBytes(16);
        KeyEnvelope envelope;
        using (var lmk = new Pkcs11LmkProvider(options))
        {
            envelope = new KeyVault(lmk).Seal(Record, key);
            Assert.Equal(lmk.CurrentLmkId, envelope.LmkId);
        }

        using var restarted = new Pkcs11LmkProvider(options);
        using var opened = new KeyVault(restarted).Open(Record, envelope);

        Assert.True(CryptographicOperations.FixedTimeEquals(key, opened.Bytes));
    }

    [Fact]
    public void Open_EnvelopeCopiedOntoAnotherRecord_ThrowsIntegrityNamingTheRecord()
    {
        using var lmk = new Pkcs11LmkProvider(token.Options(SoftHsmToken.NewKeyLabel()));
        var vault = new KeyVault(lmk);
        var envelope = vault.Seal(Record, RandomNumberGenerator.GetBytes(16));
        var other = Record with { RecordId = Guid.NewGuid() };

        var error = Assert.Throws<IntegrityException>(() => vault.Open(other, envelope));

        Assert.Contains(other.ToString(), error.Message);
    }

    [Fact]
    public void Open_TamperedWrappedDataKey_ThrowsIntegrity()
    {
        using var lmk = new Pkcs11LmkProvider(token.Options(SoftHsmToken.NewKeyLabel()));
        var vault = new KeyVault(lmk);
        var envelope = vault.Seal(Record, RandomNumberGenerator.GetBytes(16));
        envelope.WrappedDataKey[^1] ^= 0x01;

        Assert.Throws<IntegrityException>(() => vault.Open(Record, envelope));
    }

    [Fact]
    public void Open_TamperedPayload_ThrowsIntegrity()
    {
        using var lmk = new Pkcs11LmkProvider(token.Options(SoftHsmToken.NewKeyLabel()));
        var vault = new KeyVault(lmk);
        var envelope = vault.Seal(Record, RandomNumberGenerator.GetBytes(16));
        envelope.Payload[13] ^= 0x01;

        Assert.Throws<IntegrityException>(() => vault.Open(Record, envelope));
    }

    [Fact]
    public void Constructor_UnknownToken_ThrowsNamingTokenLabelKey()
    {
        var options = token.Options(SoftHsmToken.NewKeyLabel());
        options.TokenLabel = "no-such-token";

        var error = Assert.Throws<LmkUnavailableException>(() => new Pkcs11LmkProvider(options));

        Assert.Contains("Ttp:Lmk:Pkcs11:TokenLabel", error.Message);
        Assert.Contains(SoftHsmToken.TokenLabel, error.Message);
    }

    [Fact]
    public void Constructor_WrongPin_ThrowsNamingUserPinKey()
    {
        var options = token.Options(SoftHsmToken.NewKeyLabel());
        options.UserPin = "wrong-pin";

        var error = Assert.Throws<LmkUnavailableException>(() => new Pkcs11LmkProvider(options));

        Assert.Contains("Ttp:Lmk:Pkcs11:UserPin", error.Message);
        Assert.DoesNotContain("wrong-pin", error.Message);
    }

    [Fact]
    public void CurrentLmkId_KeyImportedFromAFileLmk_SameIdAndOpensTheFileLmksEnvelopes()
    {
        var folder = Directory.CreateTempSubdirectory("ttp-lmk-import-").FullName;
        try
        {
            using var file = new FileLmkProvider(Path.Combine(folder, "lmk.key"));
            var key = RandomNumberGenerator.GetBytes(16);
            var envelope = new KeyVault(file).Seal(Record, key);
            var label = SoftHsmToken.NewKeyLabel();
            using var session = new Pkcs11LmkProvider(token.Options(SoftHsmToken.NewKeyLabel())); // logs in
            ImportAesKey(File.ReadAllBytes(Path.Combine(folder, "lmk.key")), label);

            using var hsm = new Pkcs11LmkProvider(token.Options(label));
            using var opened = new KeyVault(hsm).Open(Record, envelope);

            Assert.Equal(file.CurrentLmkId, hsm.CurrentLmkId);
            Assert.True(CryptographicOperations.FixedTimeEquals(key, opened.Bytes));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void CompleteRotation_NextKeyExists_RelabelsNextAsCurrentAndOldAsRetired()
    {
        var label = SoftHsmToken.NewKeyLabel();
        using var lmk = new Pkcs11LmkProvider(token.Options(label));
        var old = lmk.CurrentLmkId;

        var next = lmk.BeginRotation();
        Assert.Equal(label + "-next", lmk.DescribeKey(next).Label);
        Assert.False(lmk.DescribeKey(next).Extractable);
        Assert.Equal(next, lmk.BeginRotation());
        lmk.CompleteRotation();

        Assert.Equal(next, lmk.CurrentLmkId);
        Assert.Null(lmk.NextLmkId);
        Assert.Equal(label, lmk.DescribeKey(next).Label);
        Assert.Equal(label + "-retired-" + old, lmk.DescribeKey(old).Label);
        using var restarted = new Pkcs11LmkProvider(token.Options(label));
        Assert.Equal(next, restarted.CurrentLmkId);
        Assert.True(restarted.Holds(old));
    }

    [Fact]
    public void Constructor_PromotionKilledAfterRetiringTheOldKey_FinishesThePromotion()
    {
        var label = SoftHsmToken.NewKeyLabel();
        string old;
        string next;
        using (var lmk = new Pkcs11LmkProvider(token.Options(label)))
        {
            old = lmk.CurrentLmkId;
            next = lmk.BeginRotation();

            // The first of the two relabels of CompleteRotation, then the process dies.
            Relabel(label, label + "-retired-" + old);
        }

        using var restarted = new Pkcs11LmkProvider(token.Options(label));

        Assert.Equal(next, restarted.CurrentLmkId);
        Assert.Null(restarted.NextLmkId);
        Assert.Equal(label, restarted.DescribeKey(next).Label);
        Assert.True(restarted.Holds(old));
    }

    [Fact]
    public async Task RunAsync_HsmLmkKilledHalfWayThenRunAgain_EndsUnderNewHsmLmkWithKeysIntact()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var options = token.Options(SoftHsmToken.NewKeyLabel());
        Dictionary<Guid, byte[]> keys;
        string old;
        using (var lmk = new Pkcs11LmkProvider(options))
        {
            var vault = new KeyVault(lmk);
            keys = await TestKeys.SeedAsync(database.Factory, vault, issuerKeySets: 4, keks: 3, ceremonies: 2);
            old = lmk.CurrentLmkId;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new LmkRotation(vault) { BatchSize = 2, InterruptAfter = 3 }.RunAsync(database.Factory));
        }

        using var restarted = new Pkcs11LmkProvider(options);
        var restartedVault = new KeyVault(restarted);
        var result = await new LmkRotation(restartedVault).RunAsync(database.Factory);

        Assert.True(result.Resumed);
        Assert.Equal(old, result.PreviousLmkId);
        Assert.Equal(restarted.CurrentLmkId, result.NewLmkId);
        var after = await TestKeys.ReadAllAsync(database.Factory);
        Assert.All(after, stored => Assert.Equal(result.NewLmkId, stored.Envelope.LmkId));
        TestKeys.AssertAllOpen(restartedVault, after, keys);
    }

    private static void Relabel(string label, string newLabel)
    {
        using var module = Pkcs11Module.Acquire(SoftHsmToken.LibraryPath);
        var slot = module.Library.GetSlotList(SlotsType.WithTokenPresent).Single(s => s.GetTokenInfo().Label.TrimEnd() == SoftHsmToken.TokenLabel);
        using var session = slot.OpenSession(SessionType.ReadWrite);
        var factory = module.Factories.ObjectAttributeFactory;
        var search = new List<IObjectAttribute> { factory.Create(CKA.CKA_LABEL, label) };
        var key = Assert.Single(session.FindAllObjects(search));
        var change = new List<IObjectAttribute> { factory.Create(CKA.CKA_LABEL, newLabel) };
        session.SetAttributeValue(key, change);
        search.ForEach(a => a.Dispose());
        change.ForEach(a => a.Dispose());
    }

    // Creates a sensitive, non-extractable AES key with a known value, as an HSM officer importing a file LMK would.
    private static void ImportAesKey(byte[] value, string label)
    {
        using var module = Pkcs11Module.Acquire(SoftHsmToken.LibraryPath);
        var slot = module.Library.GetSlotList(SlotsType.WithTokenPresent).Single(s => s.GetTokenInfo().Label.TrimEnd() == SoftHsmToken.TokenLabel);
        using var session = slot.OpenSession(SessionType.ReadWrite);
        var factory = module.Factories.ObjectAttributeFactory;
        var template = new List<IObjectAttribute>
        {
            factory.Create(CKA.CKA_CLASS, CKO.CKO_SECRET_KEY),
            factory.Create(CKA.CKA_KEY_TYPE, CKK.CKK_AES),
            factory.Create(CKA.CKA_VALUE, value),
            factory.Create(CKA.CKA_LABEL, label),
            factory.Create(CKA.CKA_TOKEN, true),
            factory.Create(CKA.CKA_PRIVATE, true),
            factory.Create(CKA.CKA_SENSITIVE, true),
            factory.Create(CKA.CKA_EXTRACTABLE, false),
            factory.Create(CKA.CKA_ENCRYPT, true),
            factory.Create(CKA.CKA_DECRYPT, true),
        };
        session.CreateObject(template);
        template.ForEach(a => a.Dispose());
        CryptographicOperations.ZeroMemory(value);
    }
}
