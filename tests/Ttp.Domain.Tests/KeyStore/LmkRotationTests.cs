using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.KeyStore;

public sealed class LmkRotationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ttp-rotation-").FullName;

    private string LmkPath => Path.Combine(_folder, "lmk.key");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_EnvelopesInEveryTable_RewrapsAllUnderNewLmkWithKeysAndPayloadsIntact(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var lmk = new FileLmkProvider(LmkPath);
        var vault = new KeyVault(lmk);
        var keys = await TestKeys.SeedAsync(database.Factory, vault, issuerKeySets: 5, keks: 4, ceremonies: 4);
        var before = await TestKeys.ReadAllAsync(database.Factory);
        var old = lmk.CurrentLmkId;

        var result = await new LmkRotation(vault) { BatchSize = 3 }.RunAsync(database.Factory);

        Assert.Equal(old, result.PreviousLmkId);
        Assert.Equal(lmk.CurrentLmkId, result.NewLmkId);
        Assert.NotEqual(old, result.NewLmkId);
        Assert.Equal(keys.Count, result.EnvelopesRewrapped);
        Assert.False(result.Resumed);
        Assert.Null(lmk.NextLmkId);
        var after = await TestKeys.ReadAllAsync(database.Factory);
        Assert.All(after, stored => Assert.Equal(result.NewLmkId, stored.Envelope.LmkId));
        Assert.Equal(0, await CountUnderAsync(database.Factory, old));
        foreach (var stored in after)
        {
            var original = before.Single(b => b.Id == stored.Id).Envelope;
            Assert.Equal(original.Payload, stored.Envelope.Payload);
            Assert.NotEqual(original.WrappedDataKey, stored.Envelope.WrappedDataKey);
        }

        using var restarted = new FileLmkProvider(LmkPath);
        Assert.Equal(result.NewLmkId, restarted.CurrentLmkId);
        TestKeys.AssertAllOpen(new KeyVault(restarted), after, keys);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_KilledHalfWayThenRunAgain_EndsWithEveryEnvelopeUnderNewLmkAndKeysIntact(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        Dictionary<Guid, byte[]> keys;
        string old;
        string next;
        using (var lmk = new FileLmkProvider(LmkPath))
        {
            var vault = new KeyVault(lmk);
            keys = await TestKeys.SeedAsync(database.Factory, vault, issuerKeySets: 8, keks: 4, ceremonies: 4);
            old = lmk.CurrentLmkId;

            // 15 envelopes, 8 issuer key sets in batches of 4: the first batch commits, the kill comes in the middle of
            // the second one (after 6 re-wraps), whose transaction rolls back.
            var killed = new LmkRotation(vault) { BatchSize = 4, InterruptAfter = 6 };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => killed.RunAsync(database.Factory));

            next = lmk.NextLmkId!;
            Assert.NotNull(next);
            Assert.Equal(old, lmk.CurrentLmkId);
        }

        // The process is gone; what is on disk and in the database is a rotation half done, and still all readable.
        var halfway = await TestKeys.ReadAllAsync(database.Factory);
        Assert.Equal(4, halfway.Count(e => e.Envelope.LmkId == next));
        Assert.Equal(keys.Count - 4, halfway.Count(e => e.Envelope.LmkId == old));
        using var restarted = new FileLmkProvider(LmkPath);
        Assert.Equal(next, restarted.NextLmkId);
        var restartedVault = new KeyVault(restarted);
        TestKeys.AssertAllOpen(restartedVault, halfway, keys);

        var result = await new LmkRotation(restartedVault) { BatchSize = 4 }.RunAsync(database.Factory);

        Assert.True(result.Resumed);
        Assert.Equal(old, result.PreviousLmkId);
        Assert.Equal(next, result.NewLmkId);
        Assert.Equal(keys.Count - 4, result.EnvelopesRewrapped);
        Assert.Equal(next, restarted.CurrentLmkId);
        Assert.Equal(0, await CountUnderAsync(database.Factory, old));
        var after = await TestKeys.ReadAllAsync(database.Factory);
        Assert.All(after, stored => Assert.Equal(next, stored.Envelope.LmkId));
        TestKeys.AssertAllOpen(restartedVault, after, keys);
        Assert.False(File.Exists(restarted.NextPath));
    }

    [Fact]
    public async Task RunAsync_WithProgress_ReportsTheRunningTotalAfterEachBatch()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var lmk = new FileLmkProvider(LmkPath);
        var vault = new KeyVault(lmk);
        await TestKeys.SeedAsync(database.Factory, vault, issuerKeySets: 5, keks: 4, ceremonies: 0);
        var reports = new Reports();

        var result = await new LmkRotation(vault) { BatchSize = 3 }.RunAsync(database.Factory, reports);

        // Issuer key sets in batches of 3 and 2, then KEKs in 3 and 1 (then the system keys the vault made): a running
        // total after each committed batch, ending at the result's count.
        Assert.Equal([3, 5, 8, 9], reports.Values[..4]);
        Assert.All(reports.Values.Zip(reports.Values.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 1, 3));
        Assert.Equal(result.EnvelopesRewrapped, reports.Values[^1]);
    }

    /// <summary>Keeps each report as it is made (<see cref="Progress{T}"/> would post it to another thread).</summary>
    private sealed class Reports : IProgress<int>
    {
        public List<int> Values { get; } = [];

        public void Report(int value) => Values.Add(value);
    }

    [Fact]
    public async Task RunAsync_KeySealedWhileRotationInterrupted_EndsUnderNewLmk()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var lmk = new FileLmkProvider(LmkPath);
        var vault = new KeyVault(lmk);
        var keys = await TestKeys.SeedAsync(database.Factory, vault, issuerKeySets: 4, keks: 0, ceremonies: 0);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new LmkRotation(vault) { BatchSize = 2, InterruptAfter = 2 }.RunAsync(database.Factory));

        var added = await TestKeys.SeedAsync(database.Factory, vault, issuerKeySets: 0, keks: 2, ceremonies: 0);
        var result = await new LmkRotation(vault).RunAsync(database.Factory);

        foreach (var (id, key) in added)
        {
            keys.TryAdd(id, key);
        }

        var after = await TestKeys.ReadAllAsync(database.Factory);
        Assert.All(after, stored => Assert.Equal(result.NewLmkId, stored.Envelope.LmkId));
        TestKeys.AssertAllOpen(vault, after, keys);
    }

    [Fact]
    public async Task RunAsync_EnvelopeWithAlteredWrappedKey_StopsBeforePromotingAndNamesTheRecord()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var lmk = new FileLmkProvider(LmkPath);
        var vault = new KeyVault(lmk);
        await TestKeys.SeedAsync(database.Factory, vault, issuerKeySets: 2, keks: 0, ceremonies: 0);
        Guid broken;
        await using (var db = database.Factory.CreateDbContext())
        {
            var set = await db.IssuerKeySets.OrderBy(s => s.Id).FirstAsync();
            broken = set.Id;
            var wrapped = set.Envelope.WrappedDataKey.ToArray();
            wrapped[20] ^= 0x01;
            set.Envelope.WrappedDataKey = wrapped;
            await db.SaveChangesAsync();
        }

        var old = lmk.CurrentLmkId;
        var error = await Assert.ThrowsAsync<IntegrityException>(() => new LmkRotation(vault).RunAsync(database.Factory));

        Assert.Contains(broken.ToString("D"), error.Message);
        Assert.Equal(old, lmk.CurrentLmkId);
        Assert.NotNull(lmk.NextLmkId);
    }

    [Fact]
    public async Task RunAsync_TwiceInARow_SecondRunRotatesAgain()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var lmk = new FileLmkProvider(LmkPath);
        var vault = new KeyVault(lmk);
        var keys = await TestKeys.SeedAsync(database.Factory, vault, issuerKeySets: 2, keks: 1, ceremonies: 2);

        var first = await new LmkRotation(vault).RunAsync(database.Factory);
        var second = await new LmkRotation(vault).RunAsync(database.Factory);

        Assert.Equal(first.NewLmkId, second.PreviousLmkId);
        Assert.NotEqual(first.NewLmkId, second.NewLmkId);
        Assert.False(second.Resumed);
        TestKeys.AssertAllOpen(vault, await TestKeys.ReadAllAsync(database.Factory), keys);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_NextLmkFilePlanted_RefusedWithoutTouchingAnEnvelopeThenRotatesOnceMovedAway(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var lmk = new FileLmkProvider(LmkPath);
        var vault = new KeyVault(lmk);
        var keys = await TestKeys.SeedAsync(database.Factory, vault, issuerKeySets: 3, keks: 2, ceremonies: 1);
        var before = await TestKeys.ReadAllAsync(database.Factory);
        var old = lmk.CurrentLmkId;
        var planted = LmkPath + ".next";
        File.WriteAllBytes(planted, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        File.SetUnixFileMode(planted, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = await Assert.ThrowsAsync<IntegrityException>(() => new LmkRotation(vault).RunAsync(database.Factory));

        Assert.Contains(planted, error.Message);
        Assert.Equal(old, lmk.CurrentLmkId);
        var untouched = await TestKeys.ReadAllAsync(database.Factory);
        Assert.All(untouched, stored => Assert.Equal(before.Single(b => b.Id == stored.Id).Envelope.WrappedDataKey, stored.Envelope.WrappedDataKey));

        File.Move(planted, Path.Combine(_folder, "planted-for-investigation"));
        var result = await new LmkRotation(vault).RunAsync(database.Factory);

        Assert.False(result.Resumed);
        Assert.Equal(old, result.PreviousLmkId);
        Assert.Equal(keys.Count, result.EnvelopesRewrapped);
        TestKeys.AssertAllOpen(vault, await TestKeys.ReadAllAsync(database.Factory), keys);
    }

    private static async Task<int> CountUnderAsync(IDbContextFactory<TtpDbContext> factory, string lmkId)
    {
        await using var db = await factory.CreateDbContextAsync();
        return await db.IssuerKeySets.CountAsync(k => k.Envelope.LmkId == lmkId)
            + await db.Keks.CountAsync(k => k.Envelope.LmkId == lmkId)
            + await db.Ceremonies.CountAsync(c => c.PartialEnvelope != null && c.PartialEnvelope.LmkId == lmkId)
            + await db.SystemKeys.CountAsync(k => k.Envelope.LmkId == lmkId);
    }
}
