using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

public sealed class AuditWriterTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AppendAsync_EightWritersTenThousandRecords_OneChainWithoutGapOrDuplicate(DatabaseProvider provider)
    {
        const int Writers = 8;
        const int Total = 10_000;
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        long[][] returned;

        await using (var writer = AuditTestSupport.NewWriter(database, key))
        {
            // Each writer keeps a few appends in flight, as concurrent requests of one TSM would.
            returned = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                var sequences = new List<long>(Total / Writers);
                for (var i = 0; i < Total / Writers; i += 25)
                {
                    var window = Enumerable.Range(i, 25).Select(j => writer.AppendAsync(AuditTestSupport.KeyRequestRecord((w * Total) + j)));
                    sequences.AddRange(await Task.WhenAll(window));
                }

                return sequences.ToArray();
            })));
        }

        var all = returned.SelectMany(s => s).Order().ToList();
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), all);
        await using var db = database.Factory.CreateDbContext();
        Assert.Equal(Total, await db.AuditEvents.CountAsync());
        var result = await AuditVerifier.VerifyAsync(database.Factory, key);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(Total, result.RecordCount);
        Assert.Equal(Total, result.LastSequence);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AppendAsync_ReturnedSequence_IsTheStoredRecord(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await using var writer = AuditTestSupport.NewWriter(database, key);

        var sequences = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            writer.AppendAsync(AuditRecord.StaffAction("test.append", Actor.System, $"item:{i}"))));

        await using var db = database.Factory.CreateDbContext();
        for (var i = 0; i < sequences.Length; i++)
        {
            var stored = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Sequence == sequences[i]);
            Assert.Equal($"item:{i}", stored.Subject);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AppendAsync_RecordWithoutTime_StampedByTimeProviderAtAppend(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        var now = new DateTimeOffset(2026, 5, 4, 3, 2, 1, TimeSpan.Zero).AddTicks(12_345);
        await using var writer = AuditTestSupport.NewWriter(database, key, time: new FixedTimeProvider(now));

        var sequence = await writer.AppendAsync(AuditRecord.StaffAction("test.time", Actor.System, "clock"));

        await using var db = database.Factory.CreateDbContext();
        var stored = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Sequence == sequence);
        Assert.Equal(now.AddTicks(-5), stored.OccurredAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AppendAsync_TableUnavailable_CallersGetAuditUnavailableAndWriterRecovers(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await using var writer = AuditTestSupport.NewWriter(database, key);
        Assert.Equal(1, await writer.AppendAsync(AuditTestSupport.KeyRequestRecord(1)));

        await AuditTestSupport.ExecuteRawAsync(database, "ALTER TABLE audit_events RENAME TO audit_events_away");
        var failing = Enumerable.Range(2, 3).Select(i => writer.AppendAsync(AuditTestSupport.KeyRequestRecord(i))).ToList();
        foreach (var append in failing)
        {
            var error = await Assert.ThrowsAsync<AuditUnavailableException>(() => append);
            Assert.NotNull(error.InnerException);
        }

        await AuditTestSupport.ExecuteRawAsync(database, "ALTER TABLE audit_events_away RENAME TO audit_events");
        Assert.Equal(2, await writer.AppendAsync(AuditTestSupport.KeyRequestRecord(5)));
        var result = await AuditVerifier.VerifyAsync(database.Factory, key);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(2, result.RecordCount);
    }

    [Fact]
    public async Task AppendAsync_PostgresDatabaseDropped_AuditUnavailable()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        using var key = AuditTestSupport.NewKey();
        await using var writer = AuditTestSupport.NewWriter(database, key);
        await writer.AppendAsync(AuditTestSupport.KeyRequestRecord(1));

        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var name = builder.Database!;
        builder.Database = "postgres";
        await using (var admin = new NpgsqlConnection(builder.ToString()))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.AppendAsync(AuditTestSupport.KeyRequestRecord(2)));
    }

    [Fact]
    public async Task AppendAsync_PostgresConnectionKilled_OneBatchRefusedThenANewConnection()
    {
        // The writer keeps its connection open between batches: a connection the server ended (a failover, an
        // administrator) fails the batch that finds it, closed and not reused; the next batch opens a new one.
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        using var key = AuditTestSupport.NewKey();
        await using var writer = AuditTestSupport.NewWriter(database, key);
        Assert.Equal(1, await writer.AppendAsync(AuditTestSupport.KeyRequestRecord(1)));

        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", admin);
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1, "the connections the writer holds or pools are ended");
        }

        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.AppendAsync(AuditTestSupport.KeyRequestRecord(2)));
        Assert.Equal(2, await writer.AppendAsync(AuditTestSupport.KeyRequestRecord(3)));
        var result = await AuditVerifier.VerifyAsync(database.Factory, key);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(2, result.RecordCount);
    }

    [Fact]
    public async Task AppendAsync_PostgresConnectionEndedDuringAQuietMinute_NextBatchOnANewConnection()
    {
        // A server that ends idle connections (idle_session_timeout, a failover while quiet) must not cost the first
        // batch after a quiet spell: the writer reopens a connection it has not used for a minute.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        using var key = AuditTestSupport.NewKey();
        await using var writer = AuditTestSupport.NewWriter(database, key, new AuditOptions { BatchMaxDelayMs = 0 }, clock);
        Assert.Equal(1, await writer.AppendAsync(AuditTestSupport.KeyRequestRecord(1)));

        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", admin);
            await kill.ExecuteScalarAsync();
        }

        NpgsqlConnection.ClearAllPools(); // as the pool's own pruning of idle connections would, within the minute
        clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal(2, await writer.AppendAsync(AuditTestSupport.KeyRequestRecord(2)));
        var result = await AuditVerifier.VerifyAsync(database.Factory, key);
        Assert.True(result.IsValid, result.Problem);
    }

    [Fact]
    public async Task AppendAsync_SqliteFileUnreachable_AuditUnavailable()
    {
        using var key = AuditTestSupport.NewKey();
        var missing = Path.Combine(Path.GetTempPath(), "ttp-missing-" + Guid.NewGuid().ToString("N"), "ttp.db");
        var factory = new TtpDbContextFactory(DatabaseProvider.Sqlite, $"Data Source={missing}");
        await using var writer = new AuditWriter(factory, key, Microsoft.Extensions.Options.Options.Create(new AuditOptions()), TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditWriter>.Instance);

        var appends = Enumerable.Range(0, 3).Select(i => writer.AppendAsync(AuditTestSupport.KeyRequestRecord(i))).ToList();

        foreach (var append in appends)
        {
            await Assert.ThrowsAsync<AuditUnavailableException>(() => append);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DisposeAsync_RecordsQueued_CommitsThemBeforeReturning(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        var writer = AuditTestSupport.NewWriter(database, key, new AuditOptions { BatchMaxSize = 16, BatchMaxDelayMs = 50 });
        var appends = Enumerable.Range(0, 100).Select(i => writer.AppendAsync(AuditTestSupport.StaffRecord(i))).ToList();

        await writer.DisposeAsync();

        Assert.All(appends, append => Assert.True(append.IsCompletedSuccessfully));
        var result = await AuditVerifier.VerifyAsync(database.Factory, key);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(100, result.RecordCount);
        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.AppendAsync(AuditTestSupport.StaffRecord(101)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AppendAsync_QueueFull_FailsAtOnceWithoutHoldingTheWriter(DatabaseProvider provider)
    {
        const int Capacity = 3;
        await using var database = await TestDatabase.CreateAsync(provider);
        using var key = AuditTestSupport.NewKey();
        await using var writer = AuditTestSupport.NewWriter(database, key, new AuditOptions { BatchMaxDelayMs = 0, QueueCapacity = Capacity });
        Assert.Equal(1, await writer.AppendAsync(AuditTestSupport.KeyRequestRecord(0)));

        // Another transaction holds the chain's head: the writer's next commit waits.
        List<Task<long>> appends;
        await using (var holder = database.Factory.CreateDbContext())
        {
            await using var hold = await holder.Database.BeginTransactionAsync();
            await AuditLedger.LockHeadAsync(holder);
            appends = [.. Enumerable.Range(1, 20).Select(i => writer.AppendAsync(AuditTestSupport.KeyRequestRecord(i)))];

            // At most one batch (taken from a queue of at most Capacity) waits on the lock and Capacity more in the
            // queue; every other append has already failed, while the head is still held.
            var failed = appends.Where(a => a.IsFaulted).ToList();
            Assert.InRange(failed.Count, 20 - (2 * Capacity), 20 - 1);
            Assert.All(failed, a =>
            {
                var error = Assert.IsType<AuditUnavailableException>(a.Exception!.InnerException);
                Assert.Contains("queue is full", error.Message, StringComparison.Ordinal);
            });
            Assert.All(appends.Where(a => !a.IsFaulted), a => Assert.False(a.IsCompleted));
            await hold.RollbackAsync();
        }

        var committed = appends.Where(a => !a.IsFaulted).ToList();
        var sequences = await Task.WhenAll(committed);
        Assert.Equal(Enumerable.Range(2, committed.Count).Select(i => (long)i), sequences.Order());

        // The queue drained: the writer takes records again.
        Assert.Equal(committed.Count + 2, await writer.AppendAsync(AuditTestSupport.KeyRequestRecord(99)));
        var result = await AuditVerifier.VerifyAsync(database.Factory, key);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(committed.Count + 2, result.RecordCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    public async Task Constructor_InvalidQueueCapacity_Throws(int capacity)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var key = AuditTestSupport.NewKey();

        var error = Assert.Throws<ValidationException>(() => AuditTestSupport.NewWriter(database, key, new AuditOptions { QueueCapacity = capacity }));
        Assert.Contains("Ttp:Audit:QueueCapacity", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, -1)]
    [InlineData(0, 0)]
    [InlineData(-1, 256)]
    [InlineData(1001, 256)]
    public async Task Constructor_InvalidOptions_Throws(int delayMs, int maxSize)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        using var key = AuditTestSupport.NewKey();

        Assert.Throws<ValidationException>(() =>
            AuditTestSupport.NewWriter(database, key, new AuditOptions { BatchMaxDelayMs = delayMs, BatchMaxSize = maxSize }));
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
