using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

/// <summary>
/// The activity statistics on both databases over key-request records appended through the audit ledger with known
/// TSMs, outcomes and latencies: the expected numbers are computed here from the inputs, never by the code under test.
/// </summary>
public sealed class KeyRequestStatisticsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Tsms = ["acme", "globex", "initech", "umbrella"];
    private static readonly string[] Outcomes = ["ok", "ok", "ok", "ok", "ok", "ok", "ScopeDenied", "ok", "UnknownKey", "ok"];

    private sealed record Sample(DateTimeOffset At, string Tsm, string Outcome, long Latency);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetAsync_PartlyRolledUp_CountsFaultRatesAndPercentilesMatchTheInputs(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var first = Samples(0, 700);
        await AppendAsync(database, first);
        await new KeyRequestRollup(database.Factory).CatchUpAsync(batchSize: 97);
        var second = Samples(700, 300);
        await AppendAsync(database, second);
        var samples = first.Concat(second).ToList();
        var from = Start.AddHours(5);
        var to = Start.AddDays(3).AddHours(5);

        var activity = await new KeyRequestStatistics(database.Factory).GetAsync(from, to, ActivityGranularity.Day);

        Assert.True(activity.Complete);
        Assert.Equal(from, activity.From);
        Assert.Equal(to, activity.To);
        Assert.Equal([Start, Start.AddDays(1), Start.AddDays(2), Start.AddDays(3)], activity.Periods.Select(p => p.Start));
        var inRange = samples.Where(s => s.At >= from && s.At < to).ToList();
        foreach (var period in activity.Periods)
        {
            var day = inRange.Where(s => s.At >= period.Start && s.At < period.Start.AddDays(1)).ToList();
            Assert.Equal(day.Count, period.Total);
            foreach (var tsm in Tsms)
            {
                Assert.Equal(day.Count(s => s.Tsm == tsm), period.PerTsm.GetValueOrDefault(tsm));
            }

            foreach (var code in new[] { "ScopeDenied", "UnknownKey" })
            {
                Assert.Equal(100.0 * day.Count(s => s.Outcome == code) / day.Count, period.FaultPercent(code), 9);
            }

            var latencies = day.Where(s => s.Outcome == "ok").Select(s => s.Latency).Order().ToList();
            Assert.Equal(latencies.Count, period.Latency.Count);
            foreach (var percentile in new[] { 50, 95, 99 })
            {
                // Nearest rank; the reported value is the upper bound of its bucket: above it, by at most 2^(1/4).
                var exact = latencies[(int)Math.Ceiling(percentile / 100.0 * latencies.Count) - 1];
                var reported = period.Latency.PercentileMicroseconds(percentile)!.Value;
                Assert.True(reported > exact && reported <= (exact * 1.1893) + 1,
                    string.Create(CultureInfo.InvariantCulture, $"p{percentile} of {period.Start:d}: exact {exact}, reported {reported}"));
            }
        }

        Assert.Equal(["ScopeDenied", "UnknownKey"], activity.FaultCodes);
        Assert.Equal(inRange.GroupBy(s => s.Tsm).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key), activity.Tsms);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CatchUpAsync_RecordsAfterWatermark_CountedOnceAndANewInstanceResumes(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var first = Samples(0, 250);
        await AppendAsync(database, first);
        Assert.Equal(250, await new KeyRequestRollup(database.Factory).CatchUpAsync(batchSize: 40));
        var watermark = await new KeyRequestRollup(database.Factory).WatermarkAsync();
        Assert.Equal(await HeadAsync(database), watermark);
        Assert.Equal(250, await RolledUpAsync(database));

        var second = Samples(250, 130);
        await AppendAsync(database, second);
        // After a restart (a new instance), only the records after the watermark are added.
        var restarted = new KeyRequestRollup(database.Factory);
        Assert.Equal(130, await restarted.CatchUpAsync(batchSize: 50));
        Assert.Equal(0, await restarted.CatchUpAsync());
        Assert.Equal(await HeadAsync(database), await restarted.WatermarkAsync());
        Assert.Equal(380, await RolledUpAsync(database));

        var all = first.Concat(second).ToList();
        var activity = await new KeyRequestStatistics(database.Factory).GetAsync(Start, Start.AddDays(5), ActivityGranularity.Hour);
        Assert.Equal(all.Count, activity.Periods.Sum(p => p.Total));
        Assert.Equal(all.Count(s => s.Outcome == "ok"), activity.Periods.Sum(p => p.Answered));
        Assert.Equal(all.GroupBy(s => s.At.UtcTicks / TimeSpan.TicksPerHour).Count(), activity.Periods.Count(p => p.Total > 0));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetAsync_ToBeforeFrom_ThrowsNamingTo(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var statistics = new KeyRequestStatistics(database.Factory);

        var reversed = await Assert.ThrowsAsync<ArgumentException>(() => statistics.GetAsync(Start, Start.AddHours(-1), ActivityGranularity.Hour));
        var tooLong = await Assert.ThrowsAsync<ArgumentException>(() => statistics.GetAsync(Start, Start.AddDays(401), ActivityGranularity.Day));

        Assert.StartsWith("to:", reversed.Message, StringComparison.Ordinal);
        Assert.StartsWith("to:", tooLong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_EveryLatencyUpToOneSecond_LiesInItsBucketWithinAQuarterDoubling()
    {
        var previous = 0;
        for (long value = 1; value <= 1_000_000; value++)
        {
            var bucket = LatencyBuckets.Of(value);
            var upper = LatencyBuckets.UpperBound(bucket);
            Assert.True(upper > value, $"{value}: upper bound {upper}");
            Assert.True(upper <= (value * 1.1893) + 1, $"{value}: upper bound {upper}");
            Assert.True(bucket >= previous, $"{value}: bucket {bucket} after {previous}");
            previous = bucket;
        }

        Assert.Equal(LatencyBuckets.Unknown, LatencyBuckets.Of(null));
    }

    /// <summary><paramref name="count"/> samples from index <paramref name="first"/>: one every 5 minutes, TSMs, outcomes and latencies cycling.</summary>
    private static List<Sample> Samples(int first, int count) =>
        [.. Enumerable.Range(first, count).Select(i => new Sample(
            Start.AddMinutes(5 * i), Tsms[i * 7 % 11 % Tsms.Length], Outcomes[i % Outcomes.Length], 300 + (i * 7919 % 5000) + (i % 53 == 0 ? 40_000 : 0)))];

    private static async Task AppendAsync(TestDatabase database, List<Sample> samples)
    {
        using var key = AuditTestSupport.NewKey();
        var records = new List<AuditRecord>();
        foreach (var s in samples)
        {
            records.Add(AuditRecord.KeyRequest(Actor.Tsm(s.Tsm), "issuer-key:A0000001/1", s.Outcome,
                new { RequestId = Guid.NewGuid(), s.Tsm, Iin = "A0000001", Outcome = s.Outcome, LatencyMicroseconds = s.Latency }).WithOccurredAt(s.At));
        }

        // A staff action among them: never counted.
        records.Add(AuditRecord.StaffAction("kek.imported", Actor.Staff("alice@ttp.example"), "kek:acme/1", new { Tsm = "acme" }).WithOccurredAt(samples[^1].At));
        await using var db = database.Factory.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await AuditLedger.AppendAsync(db, records, key);
        await transaction.CommitAsync();
    }

    private static async Task<long> HeadAsync(TestDatabase database)
    {
        await using var db = database.Factory.CreateDbContext();
        return await db.AuditEvents.MaxAsync(e => e.Sequence);
    }

    private static async Task<long> RolledUpAsync(TestDatabase database)
    {
        await using var db = database.Factory.CreateDbContext();
        return await db.KeyRequestRollup.SumAsync(r => r.Requests);
    }
}
