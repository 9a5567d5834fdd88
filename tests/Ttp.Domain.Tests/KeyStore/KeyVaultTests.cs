using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ttp.Crypto;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.KeyStore;

public sealed class KeyVaultTests : IDisposable
{
    private static readonly EnvelopeContext Record = new(Guid.NewGuid(), KeyKind.Kek, "AES256", 1);

    private readonly string _folder = Directory.CreateTempSubdirectory("ttp-vault-").FullName;
    private readonly FileLmkProvider _lmk;
    private readonly KeyVault _vault;

    public KeyVaultTests()
    {
        _lmk = new FileLmkProvider(Path.Combine(_folder, "lmk.key"));
        _vault = new KeyVault(_lmk);
    }

    public void Dispose()
    {
        _lmk.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void Open_SealedKey_ReturnsTheKey(int length)
    {
        var key = RandomNumberGenerator.GetBytes(length);

        var envelope = _vault.Seal(Record, key);
        using var opened = _vault.Open(Record, envelope);

        Assert.True(CryptographicOperations.FixedTimeEquals(key, opened.Bytes));
        Assert.Equal(1, envelope.FormatVersion);
        Assert.Equal(_lmk.CurrentLmkId, envelope.LmkId);
        Assert.Equal(60, envelope.WrappedDataKey.Length);
        Assert.Equal(12 + length + 16, envelope.Payload.Length);
    }

    [Fact]
    public void Seal_SameKeyTwice_DifferentDataKeysAndNonces()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        var first = _vault.Seal(Record, key);
        var second = _vault.Seal(Record, key);

        Assert.NotEqual(first.WrappedDataKey, second.WrappedDataKey);
        Assert.NotEqual(first.Payload, second.Payload);
    }

    [Fact]
    public void Seal_AnyKey_EnvelopeHoldsNoClearKeyBytes()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        var envelope = _vault.Seal(Record, key);

        Assert.Equal(-1, envelope.Payload.AsSpan().IndexOf(key.AsSpan(0, 8)));
        Assert.Equal(-1, envelope.WrappedDataKey.AsSpan().IndexOf(key.AsSpan(0, 8)));
    }

    [Fact]
    public void Open_EnvelopeCopiedOntoAnotherRecord_ThrowsIntegrityNamingTheRecord()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var envelope = _vault.Seal(Record, key);
        var other = Record with { RecordId = Guid.NewGuid() };

        var error = Assert.Throws<IntegrityException>(() => _vault.Open(other, envelope));

        Assert.Contains(other.ToString(), error.Message);
        Assert.DoesNotContain(Hex.Encode(key), error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("kind")]
    [InlineData("algorithm")]
    [InlineData("version")]
    public void Open_SameRecordOtherKindAlgorithmOrVersion_ThrowsIntegrity(string changed)
    {
        var envelope = _vault.Seal(Record, RandomNumberGenerator.GetBytes(32));
        var other = changed switch
        {
            "kind" => Record with { Kind = KeyKind.IssuerMasterKey },
            "algorithm" => Record with { Algorithm = "TDES2" },
            _ => Record with { Version = 2 },
        };

        Assert.Throws<IntegrityException>(() => _vault.Open(other, envelope));
    }

    [Fact]
    public void Open_TamperedPayload_ThrowsIntegrity()
    {
        var envelope = _vault.Seal(Record, RandomNumberGenerator.GetBytes(32));
        envelope.Payload[20] ^= 0x01;

        var error = Assert.Throws<IntegrityException>(() => _vault.Open(Record, envelope));

        Assert.Contains(Record.ToString(), error.Message);
    }

    [Fact]
    public void Open_TamperedWrappedDataKey_ThrowsIntegrity()
    {
        var envelope = _vault.Seal(Record, RandomNumberGenerator.GetBytes(32));
        envelope.WrappedDataKey[30] ^= 0x80;

        Assert.Throws<IntegrityException>(() => _vault.Open(Record, envelope));
    }

    [Fact]
    public void Open_WrappedDataKeySwappedFromAnotherEnvelopeOfTheRecord_ThrowsIntegrity()
    {
        var first = _vault.Seal(Record, RandomNumberGenerator.GetBytes(32));
        var second = _vault.Seal(Record, RandomNumberGenerator.GetBytes(32));
        first.WrappedDataKey = second.WrappedDataKey;

        Assert.Throws<IntegrityException>(() => _vault.Open(Record, first));
    }

    [Fact]
    public void Open_SealedUnderAnotherServersLmk_ThrowsIntegrityNamingBothLmks()
    {
        var otherFolder = Directory.CreateTempSubdirectory("ttp-vault-other-").FullName;
        try
        {
            using var otherLmk = new FileLmkProvider(Path.Combine(otherFolder, "lmk.key"));
            var envelope = new KeyVault(otherLmk).Seal(Record, RandomNumberGenerator.GetBytes(32));

            var error = Assert.Throws<IntegrityException>(() => _vault.Open(Record, envelope));

            Assert.Contains(otherLmk.CurrentLmkId, error.Message);
            Assert.Contains(_lmk.CurrentLmkId, error.Message);
        }
        finally
        {
            Directory.Delete(otherFolder, recursive: true);
        }
    }

    [Fact]
    public void Open_UnknownFormat_ThrowsIntegrity()
    {
        var envelope = _vault.Seal(Record, RandomNumberGenerator.GetBytes(32));
        envelope.FormatVersion = 2;

        Assert.Throws<IntegrityException>(() => _vault.Open(Record, envelope));
    }

    [Fact]
    public void Seal_RotationInProgress_SealsUnderNextLmk()
    {
        var next = _lmk.BeginRotation();

        var envelope = _vault.Seal(Record, RandomNumberGenerator.GetBytes(32));

        Assert.Equal(next, envelope.LmkId);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetOrCreateAuditKeyAsync_CalledTwice_CreatesOneSystemKeyAndReturnsTheSameKey(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        byte[] first;
        await using (var db = database.Factory.CreateDbContext())
        {
            using var key = await _vault.GetOrCreateAuditKeyAsync(db);
            first = key.Bytes.ToArray();
        }

        await using (var db = database.Factory.CreateDbContext())
        {
            using var again = await _vault.GetOrCreateAuditKeyAsync(db);
            Assert.True(CryptographicOperations.FixedTimeEquals(first, again.Bytes));
            var stored = await db.SystemKeys.AsNoTracking().SingleAsync();
            Assert.Equal(SystemKey.AuditKeyId, stored.Id);
            Assert.Equal(KeyKind.AuditKey, stored.Kind);
            Assert.Equal(_lmk.CurrentLmkId, stored.Envelope.LmkId);
        }
    }

    [Fact]
    public async Task Seal_KeysStoredInSqlite_DatabaseFilesHoldNoClearKeyByte()
    {
        var keys = new List<byte[]>();
        await using (var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite))
        {
            var seeded = await TestKeys.SeedAsync(database.Factory, _vault, issuerKeySets: 3, keks: 3, ceremonies: 2);
            keys.AddRange(seeded.Values);
            var files = Directory.GetFiles(database.Folder!, "ttp.db*").Select(File.ReadAllBytes).ToList();

            foreach (var key in keys)
            {
                Assert.All(files, content => Assert.Equal(-1, content.AsSpan().IndexOf(key.AsSpan(0, 12))));
            }
        }
    }
}
