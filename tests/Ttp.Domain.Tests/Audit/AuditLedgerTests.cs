using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

public sealed class AuditLedgerTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AppendAsync_RecordsInCallerTransaction_StoredExactlyWithConsecutiveSequences(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        var at = new DateTimeOffset(2026, 3, 1, 12, 30, 45, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var records = new[]
        {
            new AuditRecord(AuditStream.StaffAction, "kek.imported", "user:alice@ttp.example", "kek:acme/1", "ok", "{\"kcv\":\"0A1B2C\"}", at),
            new AuditRecord(AuditStream.KeyRequest, "key-request", "tsm:acme", "issuer-key:A0000001/1", "ScopeDenied", "{\"iin\":\"A0000001\",\"note\":\"é ✓ 🔑\"}", at.AddSeconds(1)),
        };

        long first;
        await using (var db = database.Factory.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            first = await AuditLedger.AppendAsync(db, records, key);
            await transaction.CommitAsync();
        }

        await using var read = database.Factory.CreateDbContext();
        var stored = await read.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        var head = await read.AuditChainHeads.AsNoTracking().SingleAsync();
        Assert.Equal(1, first);
        Assert.Equal([1L, 2L], stored.Select(e => e.Sequence));
        Assert.Equal(AuditRecord.TruncateToMicroseconds(at), stored[0].OccurredAt);
        Assert.Equal(TimeSpan.Zero, stored[0].OccurredAt.Offset);
        Assert.Equal(at.UtcTicks - 7, stored[0].OccurredAt.UtcTicks);
        Assert.Equal(AuditStream.KeyRequest, stored[1].Stream);
        Assert.Equal("key-request", stored[1].Action);
        Assert.Equal("tsm:acme", stored[1].Actor);
        Assert.Equal("issuer-key:A0000001/1", stored[1].Subject);
        Assert.Equal("ScopeDenied", stored[1].Outcome);
        Assert.Equal("{\"iin\":\"A0000001\",\"note\":\"é ✓ 🔑\"}", stored[1].Details);
        // SHA-256 over the previous hash and the canonical form (public), and the MAC over the hash (the TTP's).
        Assert.Equal(SHA256.HashData([.. AuditHash.Genesis, .. AuditHash.GetCanonicalBytes(stored[0])]), stored[0].Hash);
        Assert.Equal(SHA256.HashData([.. stored[0].Hash, .. AuditHash.GetCanonicalBytes(stored[1])]), stored[1].Hash);
        Assert.Equal(HMACSHA256.HashData(key.Bytes, stored[0].Hash), stored[0].Mac);
        Assert.Equal(HMACSHA256.HashData(key.Bytes, stored[1].Hash), stored[1].Mac);
        Assert.Equal(2, head.LastSequence);
        Assert.Equal(stored[1].Hash, head.LastHash);
        Assert.True((await AuditVerifier.VerifyAsync(database.Factory, key)).IsValid);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AppendAsync_CallerRollsBack_NothingRecordedAndNextAppendContinuesChain(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await AuditTestSupport.AppendAsync(database, key, 2);

        await using (var db = database.Factory.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Equal(3, await AuditLedger.AppendAsync(db, [AuditTestSupport.StaffRecord(3)], key));
            await transaction.RollbackAsync();
        }

        await AuditTestSupport.AppendAsync(database, key, 1);

        await using var read = database.Factory.CreateDbContext();
        Assert.Equal([1L, 2L, 3L], await read.AuditEvents.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync());
        var result = await AuditVerifier.VerifyAsync(database.Factory, key);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(3, result.RecordCount);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AppendAsync_NoCallerTransaction_CommitsInItsOwn(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();

        await using (var db = database.Factory.CreateDbContext())
        {
            Assert.Equal(1, await AuditLedger.AppendAsync(db, [AuditTestSupport.StaffRecord(1), AuditTestSupport.StaffRecord(2)], key));
            Assert.Null(db.Database.CurrentTransaction);
        }

        var result = await AuditVerifier.VerifyAsync(database.Factory, key);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(2, result.LastSequence);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AppendAsync_BatchLargerThanOneStatement_OneIntactChain(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        var records = Enumerable.Range(1, 300).Select(AuditTestSupport.KeyRequestRecord).ToList();

        await using (var db = database.Factory.CreateDbContext())
        {
            Assert.Equal(1, await AuditLedger.AppendAsync(db, records, key));
            Assert.Equal(301, await AuditLedger.AppendAsync(db, records.Take(5).ToList(), key));
        }

        var result = await AuditVerifier.VerifyAsync(database.Factory, key);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(305, result.LastSequence);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AppendAsync_ConcurrentProcessesWithOwnConnections_OneChainWithoutGapOrDuplicate(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        const int Processes = 4;
        const int TransactionsEach = 25;

        // Each "process" (CLI, portal nodes) has its own factory, hence its own connection pool.
        var appended = await Task.WhenAll(Enumerable.Range(0, Processes).Select(p => Task.Run(async () =>
        {
            var factory = new TtpDbContextFactory(provider, database.ConnectionString);
            var sequences = new List<long>();
            for (var t = 0; t < TransactionsEach; t++)
            {
                await using var db = factory.CreateDbContext();
                await using var transaction = await db.Database.BeginTransactionAsync();
                await AuditLedger.LockHeadAsync(db);
                var records = Enumerable.Range(0, 1 + (t % 3)).Select(i => AuditTestSupport.StaffRecord((p * 1000) + (t * 10) + i)).ToList();
                var first = await AuditLedger.AppendAsync(db, records, key);
                await transaction.CommitAsync();
                sequences.AddRange(Enumerable.Range(0, records.Count).Select(i => first + i));
            }

            return sequences;
        })));

        var all = appended.SelectMany(s => s).Order().ToList();
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all);
        var result = await AuditVerifier.VerifyAsync(database.Factory, key);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(all.Count, result.RecordCount);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LockHeadAsync_NoTransaction_Throws(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Factory.CreateDbContext();

        await Assert.ThrowsAsync<InvalidOperationException>(() => AuditLedger.LockHeadAsync(db));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AppendAsync_EmptyList_Throws(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await using var db = database.Factory.CreateDbContext();

        await Assert.ThrowsAsync<ArgumentException>(() => AuditLedger.AppendAsync(db, [], key));
    }
}
