using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Alerts;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tsms;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.KeyRequests;

/// <summary>
/// Bounded refusals (docs/DESIGN.md section 5): an identified TSM's requests take from its bucket before anything is
/// audited, refusals beyond the rate become one summary record per TSM per second, and a full audit queue answers
/// ServiceUnavailable at once without a key.
/// </summary>
public sealed class BoundedRefusalTests
{
    private const int Rate = 5;
    private const int PerSecond = 100;
    private const int Seconds = 3;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_SuspendedTsmFloodsInvalidAndValidRequests_AtMostRatePlusOneSummaryPerSecond(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await CreateAsync(provider, clock);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        await env.Services.GetRequiredService<TsmService>().SuspendAsync("acme", "flood test", KeyRequestEnvironment.Registrar);
        var valid = Request(KddOpenJavaCard, E0BasicDes);
        var invalid = valid with { KeyDiversificationData = "not hex" };
        var answered = new Dictionary<KeyDistributionFaultCode, int>();

        for (var second = 0; second < Seconds; second++)
        {
            for (var i = 0; i < PerSecond; i++)
            {
                var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(() =>
                    env.KeyRequests.GetDiversifiedKeysAsync(i % 2 == 0 ? invalid : valid, acme));
                answered[refused.Code] = answered.GetValueOrDefault(refused.Code) + 1;
            }

            // The flusher's timer fires; wait for its summary to be committed.
            clock.Advance(TimeSpan.FromSeconds(1));
            await Summaries(env).FlushAsync();
        }

        // Every request got its own refusal (the one already known before the rate limit), none RateLimited.
        Assert.Equal(Seconds * PerSecond / 2, answered[KeyDistributionFaultCode.InvalidRequest]);
        Assert.Equal(Seconds * PerSecond / 2, answered[KeyDistributionFaultCode.NotAccredited]);
        Assert.Equal(2, answered.Count);

        // Within the rate (a burst of 5, then 5 per second): one record each, alternating as sent.
        var requests = await RecordsAsync(env, AuditRecord.KeyRequestAction);
        Assert.Equal(Seconds * Rate, requests.Count);
        Assert.All(requests, r => Assert.Equal("tsm:acme", r.Actor));
        Assert.Equal(Seconds * 3, requests.Count(r => r.Outcome == "InvalidRequest"));
        Assert.Equal(Seconds * 2, requests.Count(r => r.Outcome == "NotAccredited"));

        // Beyond it: one summary per second, with the count per code.
        var summaries = await RecordsAsync(env, AuditRecord.RefusalsSummarisedAction);
        Assert.Equal(Seconds, summaries.Count);
        Assert.All(summaries, s =>
        {
            Assert.Equal(AuditStream.KeyRequest, s.Stream);
            Assert.Equal("tsm:acme", s.Actor);
            Assert.Equal("tsm:acme", s.Subject);
            Assert.Equal(AuditRecord.OutcomeRefused, s.Outcome);
            using var details = JsonDocument.Parse(s.Details);
            Assert.Equal("acme", details.RootElement.GetProperty("tsm").GetString());
            Assert.Equal(PerSecond - Rate, details.RootElement.GetProperty("refused").GetInt64());
            var codes = details.RootElement.GetProperty("codes");
            Assert.Equal(47, codes.GetProperty("InvalidRequest").GetInt64());
            Assert.Equal(48, codes.GetProperty("NotAccredited").GetInt64());
            Assert.Equal(2, codes.EnumerateObject().Count());
        });
        Assert.True(summaries.Zip(summaries.Skip(1)).All(p => p.Second.OccurredAt - p.First.OccurredAt >= TimeSpan.FromSeconds(1)));
        Assert.True(requests.Count + summaries.Count <= Rate + (Rate * Seconds) + Seconds);

        var verified = await AuditVerifier.VerifyAsync(env.Database.Factory, await env.Services.GetRequiredService<AuditKeyHolder>().GetAsync());
        Assert.True(verified.IsValid, verified.Problem);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RefuseUnreadableAsync_PinnedTsmFloods_CountsAgainstItsBucketAndIsSummarised(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await CreateAsync(provider, clock);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));

        for (var i = 0; i < PerSecond; i++)
        {
            var refused = await env.KeyRequests.RefuseUnreadableAsync(acme, "the request body is not XML");
            Assert.Equal(KeyDistributionFaultCode.InvalidRequest, refused.Code);
        }

        // The guard's refusals emptied the bucket: the next request, valid, is over the rate.
        var limited = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), acme));
        Assert.Equal(KeyDistributionFaultCode.RateLimited, limited.Code);
        await Summaries(env).FlushAsync();

        var requests = await RecordsAsync(env, AuditRecord.KeyRequestAction);
        Assert.Equal(Rate, requests.Count);
        Assert.All(requests, r => Assert.Equal("InvalidRequest", r.Outcome));
        var summary = Assert.Single(await RecordsAsync(env, AuditRecord.RefusalsSummarisedAction));
        using var details = JsonDocument.Parse(summary.Details);
        Assert.Equal(PerSecond - Rate + 1, details.RootElement.GetProperty("refused").GetInt64());
        Assert.Equal(PerSecond - Rate, details.RootElement.GetProperty("codes").GetProperty("InvalidRequest").GetInt64());
        Assert.Equal(1, details.RootElement.GetProperty("codes").GetProperty("RateLimited").GetInt64());

        // A second later the bucket has tokens again: the TSM is served.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(Request(KddOpenJavaCard, E0BasicDes), acme)).Keys.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RefuseUnreadableAsync_UnknownCertificate_NotCountedNorAudited(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await CreateAsync(provider, clock);
        var stranger = new KeyRequestCaller(Hex.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), DateTimeOffset.UtcNow.AddDays(1), "192.0.2.99");

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(KeyDistributionFaultCode.InvalidRequest, (await env.KeyRequests.RefuseUnreadableAsync(stranger, "the request body is not XML")).Code);
        }

        await Summaries(env).FlushAsync();
        Assert.Empty(await env.KeyRequestRecordsAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Readers_SummaryRecords_NotCountedAsKeyRequestsAndNoReaderFails(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await CreateAsync(provider, clock);
        var acme = await env.AddTsmAsync("acme", [Iin]);
        var invalid = Request(KddOpenJavaCard, E0BasicDes) with { KeyDiversificationData = "not hex" };
        for (var i = 0; i < 50; i++)
        {
            await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(invalid, acme));
        }

        await Summaries(env).FlushAsync();
        Assert.Single(await RecordsAsync(env, AuditRecord.RefusalsSummarisedAction));

        // The auditor's readers: search, per-day counts, rollup and charts, alerts. Each sees the 5 requests, not the summary.
        var page = await env.Services.GetRequiredService<KeyRequestSearch>().SearchAsync(new KeyRequestFilter(Tsm: "acme"), pageSize: 100);
        Assert.Equal(Rate, page.Rows.Count);
        var now = clock.GetUtcNow();
        var days = await env.Services.GetRequiredService<AuditQueries>().KeyRequestsPerDayAsync(now.AddDays(-1), now.AddDays(1));
        Assert.Equal(Rate, days.Where(d => d.Tsm == "acme").Sum(d => d.Refused));
        await env.Services.GetRequiredService<KeyRequestRollup>().CatchUpAsync();
        var activity = await env.Services.GetRequiredService<KeyRequestStatistics>().GetAsync(now.AddHours(-1), now.AddHours(1), ActivityGranularity.Day);
        Assert.Equal(Rate, activity.Periods.Sum(p => p.Total));
        Assert.Equal(["InvalidRequest"], activity.FaultCodes);
        await env.Services.GetRequiredService<AlertScanner>().ScanToHeadAsync();
        await using (var db = env.Database.Factory.CreateDbContext())
        {
            // 5 refusals within the rate raise nothing (20 in 10 minutes do); the summary's 45 do, once.
            var alert = Assert.Single(await db.AuditAlerts.AsNoTracking().ToListAsync());
            Assert.Equal(AlertKind.RepeatedFaults, alert.Kind);
            Assert.Equal("faults:acme:InvalidRequest", alert.DedupeKey);
            Assert.Equal(45, alert.Count);
        }

        var lookup = await env.Services.GetRequiredService<AuditRecordLookup>().GetAsync((await RecordsAsync(env, AuditRecord.RefusalsSummarisedAction))[0].Sequence);
        Assert.Equal("45", lookup!.Field("codes.InvalidRequest"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DisposeAsync_RefusalsPending_FlushedBeforeTheWriterStops(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var env = await CreateAsync(provider, clock);
        try
        {
            var acme = await env.AddTsmAsync("acme", [Iin]);
            var invalid = Request(KddOpenJavaCard, E0BasicDes) with { KeyDiversificationData = "not hex" };
            for (var i = 0; i < 12; i++)
            {
                await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(invalid, acme));
            }

            // Shutdown of the process: its singletons are disposed, the summaries before the writer they append to.
            await env.Services.GetRequiredService<KeyRequestRefusalSummaries>().DisposeAsync();
            var summary = Assert.Single(await RecordsAsync(env, AuditRecord.RefusalsSummarisedAction));
            using var details = JsonDocument.Parse(summary.Details);
            Assert.Equal(12 - Rate, details.RootElement.GetProperty("refused").GetInt64());
        }
        finally
        {
            await env.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_AuditQueueFull_ServiceUnavailableAtOnceAndNoKey(DatabaseProvider provider)
    {
        const int Requests = 12;
        const int Capacity = 2;
        await using var env = await KeyRequestEnvironment.CreateAsync(provider, new Dictionary<string, string?> { ["Ttp:Audit:QueueCapacity"] = Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var acme = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var request = Request(KddOpenJavaCard, E0BasicDes);
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, acme)).Keys.Count);
        var before = (await env.KeyRequestRecordsAsync()).Count;

        // Another transaction holds the chain's head: the writer's commit waits, its queue fills.
        var holder = env.Database.Factory.CreateDbContext();
        var hold = await holder.Database.BeginTransactionAsync();
        await AuditLedger.LockHeadAsync(holder);
        var calls = Enumerable.Range(0, Requests).Select(_ => Task.Run(() => env.KeyRequests.GetDiversifiedKeysAsync(request, acme))).ToList();
        try
        {
            // At most one batch (what was queued when the writer took it) and a full queue wait; the others are answered
            // while the head is still held: they did not wait for the writer.
            var waitedFor = Requests - (2 * Capacity);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (calls.Count(c => c.IsCompleted) < waitedFor && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            var done = calls.Where(c => c.IsCompleted).ToList();
            Assert.True(done.Count >= waitedFor, $"{done.Count} of {Requests} answered while the writer was held");
            Assert.All(done, c =>
            {
                var refused = Assert.IsType<KeyRequestRefusedException>(c.Exception?.InnerException);
                Assert.Equal(KeyDistributionFaultCode.ServiceUnavailable, refused.Code);
                Assert.Contains("no key was released", refused.Message, StringComparison.Ordinal);
            });
        }
        finally
        {
            await hold.RollbackAsync();
            await hold.DisposeAsync();
            await holder.DisposeAsync();
        }

        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
        var served = calls.Where(c => c.IsCompletedSuccessfully).ToList();
        var unavailable = calls.Where(c => c.IsFaulted).Select(c => Assert.IsType<KeyRequestRefusedException>(c.Exception!.InnerException)).ToList();
        Assert.InRange(served.Count, 1, 2 * Capacity);
        Assert.Equal(Requests, served.Count + unavailable.Count);
        Assert.All(unavailable, r => Assert.Equal(KeyDistributionFaultCode.ServiceUnavailable, r.Code));
        Assert.All(served, c => Assert.Equal(3, c.Result.Keys.Count));

        // A key left only with its record: one record per request served, none for those refused.
        var records = await env.KeyRequestRecordsAsync();
        Assert.Equal(before + served.Count, records.Count);
        Assert.All(records, r => Assert.Equal(AuditRecord.OutcomeOk, r.Outcome));
        var verified = await AuditVerifier.VerifyAsync(env.Database.Factory, await env.Services.GetRequiredService<AuditKeyHolder>().GetAsync());
        Assert.True(verified.IsValid, verified.Problem);

        // The writer goes on once its commit is free.
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, acme)).Keys.Count);
    }

    private static Task<KeyRequestEnvironment> CreateAsync(DatabaseProvider provider, FakeTimeProvider clock) =>
        KeyRequestEnvironment.CreateAsync(provider, new Dictionary<string, string?>
        {
            ["Ttp:Soap:RateLimit:PermitsPerSecond"] = Rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ttp:Soap:RateLimit:Burst"] = Rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, services => services.AddSingleton<TimeProvider>(clock));

    private static KeyRequestRefusalSummaries Summaries(KeyRequestEnvironment env) => env.Services.GetRequiredService<KeyRequestRefusalSummaries>();

    private static async Task<List<AuditEvent>> RecordsAsync(KeyRequestEnvironment env, string action)
    {
        await using var db = env.Database.Factory.CreateDbContext();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Action == action).OrderBy(e => e.Sequence).ToListAsync();
    }
}
