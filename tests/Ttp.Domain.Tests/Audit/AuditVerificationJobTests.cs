using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;

namespace Ttp.Domain.Tests.Audit;

/// <summary>
/// The background verification on both databases: one at a time per installation (the Running row is the lease), a
/// stale lease taken over, progress written to the row while running, a record changed with SQL named by its sequence,
/// the start and the result in the chain, and a cancelled run left Abandoned.
/// </summary>
public sealed class AuditVerificationJobTests
{
    private static readonly Actor Auditor = Actor.Staff("auditor@ttp.example");
    private static readonly Actor Officer = Actor.Staff("officer@ttp.example");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task StartAsync_AnotherRunningWithAFreshHeartbeat_RefusedNamingWhoStartedItAndWhen(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 19, 30, 0, TimeSpan.Zero));
        await using var env = await CreateAsync(provider, clock);
        var job = env.Services.GetRequiredService<AuditVerificationJob>();
        var first = await job.StartAsync(Auditor);
        clock.Advance(TimeSpan.FromSeconds(10));

        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => job.StartAsync(Officer));

        Assert.Contains("already running: started by user:auditor@ttp.example at 2026-12-06 19:30:00 UTC", refused.Message, StringComparison.Ordinal);
        await using var db = env.Database.Factory.CreateDbContext();
        var rows = await db.AuditVerifications.AsNoTracking().ToListAsync();
        Assert.Equal(first.Id, Assert.Single(rows).Id);
        Assert.Equal(AuditVerificationState.Running, rows[0].State);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task StartAsync_RunningRowWithAStaleHeartbeat_MarksItAbandonedAndStarts(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 19, 30, 0, TimeSpan.Zero));
        await using var env = await CreateAsync(provider, clock);
        var job = env.Services.GetRequiredService<AuditVerificationJob>();
        var dead = await job.StartAsync(Auditor);
        clock.Advance(AuditVerificationJob.StaleAfter + TimeSpan.FromSeconds(1));

        var second = await job.StartAsync(Officer);

        var queries = env.Services.GetRequiredService<AuditVerificationQueries>();
        var abandoned = await queries.FindAsync(dead.Id);
        Assert.Equal(AuditVerificationState.Abandoned, abandoned!.State);
        Assert.Contains("stopped reporting progress at 2026-12-06 19:30:00 UTC; taken over by user:officer@ttp.example", abandoned.Problem, StringComparison.Ordinal);
        Assert.Equal(AuditVerificationState.Running, (await queries.LatestAsync())!.State);
        Assert.Equal(second.Id, (await queries.LatestAsync())!.Id);
        var started = await VerificationRecordsAsync(env);
        Assert.Equal(["audit.verification-started", "audit.verification-started"], started.Select(e => e.Action));
        Assert.Contains(dead.Id.ToString(), started[1].Details, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_UntouchedTrail_WritesProgressWhileRunningPassesAndAuditsStartAndResult(DatabaseProvider provider)
    {
        // Each reading of the clock moves it a second: every report of the verifier is due for a write.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };
        await using var env = await CreateAsync(provider, clock);
        await AppendAsync(env, 3 * AuditVerifier.ProgressStep);
        var job = env.Services.GetRequiredService<AuditVerificationJob>();
        var started = await job.StartAsync(Auditor);
        var written = new ConcurrentQueue<long>();

        var finished = await job.RunAsync(started.Id, new Collect(written));

        Assert.Equal(AuditVerificationState.Passed, finished.State);
        Assert.True(finished.TotalRecords > 3 * AuditVerifier.ProgressStep);
        Assert.True(finished.RecordsChecked >= finished.TotalRecords, $"{finished.RecordsChecked} of {finished.TotalRecords}");
        Assert.True(finished.CheckpointsChecked > 0);
        Assert.Null(finished.FirstBrokenSequence);
        Assert.Contains(written, n => n > 0 && n < finished.RecordsChecked);
        var row = await env.Services.GetRequiredService<AuditVerificationQueries>().LastFinishedAsync();
        Assert.Equal(finished.Id, row!.Id);
        Assert.Equal(AuditVerificationState.Passed, row.State);
        var records = await VerificationRecordsAsync(env);
        Assert.Equal(["audit.verification-started", "audit.verification-finished"], records.Select(e => e.Action));
        Assert.All(records, r => Assert.Equal(Auditor.Id, r.Actor));
        Assert.Equal(AuditRecord.OutcomeOk, records[1].Outcome);
        Assert.Contains($"\"records\":{finished.RecordsChecked}", records[1].Details, StringComparison.Ordinal);
        Assert.Contains("\"durationSeconds\":", records[1].Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_RecordChangedBySql_FailsNamingItsSequenceAndAuditsTheFailure(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider, TimeProvider.System);
        await AppendAsync(env, 20);
        Assert.Equal(1, await env.ExecuteRawAsync(AuditTestSupport.ChangeFieldSql(provider, "details", 5)));
        var job = env.Services.GetRequiredService<AuditVerificationJob>();
        var started = await job.StartAsync(Officer);

        var finished = await job.RunAsync(started.Id);

        Assert.Equal(AuditVerificationState.Failed, finished.State);
        Assert.Equal(5, finished.FirstBrokenSequence);
        Assert.Equal(nameof(AuditBreakReason.HashMismatch), finished.Outcome);
        Assert.Contains("record 5 does not match its hash", finished.Problem, StringComparison.Ordinal);
        Assert.Equal(4, finished.RecordsChecked);
        var result = (await VerificationRecordsAsync(env))[^1];
        Assert.Equal("audit.verification-finished", result.Action);
        Assert.Equal(nameof(AuditBreakReason.HashMismatch), result.Outcome);
        Assert.Contains("\"firstBrokenSequence\":5", result.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RunAsync_Cancelled_LeavesTheRowAbandonedAndALaterStartRuns(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider, TimeProvider.System);
        var job = env.Services.GetRequiredService<AuditVerificationJob>();
        var started = await job.StartAsync(Auditor);
        using var shutdown = new CancellationTokenSource();
        await shutdown.CancelAsync();

        var stopped = await job.RunAsync(started.Id, null, shutdown.Token);

        Assert.Equal(AuditVerificationState.Abandoned, stopped.State);
        Assert.Contains("the portal shut down", stopped.Problem, StringComparison.Ordinal);
        Assert.Equal("abandoned", (await VerificationRecordsAsync(env))[^1].Outcome);
        var again = await job.StartAsync(Auditor);
        Assert.Equal(AuditVerificationState.Passed, (await job.RunAsync(again.Id)).State);
        Assert.Null(await env.Services.GetRequiredService<AuditVerificationQueries>().FindAsync(Guid.NewGuid()));
    }

    private static Task<KeyRequestEnvironment> CreateAsync(DatabaseProvider provider, TimeProvider clock) =>
        KeyRequestEnvironment.CreateAsync(provider, null, services => services.AddSingleton(clock));

    /// <summary>Appends <paramref name="count"/> records in one transaction and checkpoints them.</summary>
    private static async Task AppendAsync(KeyRequestEnvironment env, int count)
    {
        var key = await env.Services.GetRequiredService<AuditKeyHolder>().GetAsync();
        await using (var db = env.Database.Factory.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await AuditLedger.AppendAsync(db, Enumerable.Range(1, count).Select(i => i % 2 == 0 ? AuditTestSupport.KeyRequestRecord(i) : AuditTestSupport.StaffRecord(i)).ToList(), key);
            await transaction.CommitAsync();
        }

        await AnchoredTrail.Anchor(env).FlushAsync();
    }

    private static async Task<List<AuditEvent>> VerificationRecordsAsync(KeyRequestEnvironment env)
    {
        await using var db = env.Database.Factory.CreateDbContext();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Action.StartsWith("audit.verification")).OrderBy(e => e.Sequence).ToListAsync();
    }

    private sealed class Collect(ConcurrentQueue<long> into) : IProgress<long>
    {
        public void Report(long value) => into.Enqueue(value);
    }
}
