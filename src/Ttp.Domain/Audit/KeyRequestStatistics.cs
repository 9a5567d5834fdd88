using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// The activity charts' numbers (requests per TSM, outcomes, latency histograms per hour or day), read from the
/// key-request rollup (<see cref="KeyRequestRollup"/>) with one GROUP BY, plus the records after its watermark (read
/// and counted here, at most <see cref="MaxTail"/>), in one read snapshot: exact up to now when the rollup keeps up.
/// Never loads the rollup's rows or the records of the range. A view of the chain, not the record.
/// </summary>
public sealed class KeyRequestStatistics(IDbContextFactory<TtpDbContext> factory)
{
    /// <summary>The most records after the watermark counted by one query (the rollup's timer counts the rest).</summary>
    public const int MaxTail = 20_000;

    /// <summary>The longest range (400 days).</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    private const long TicksPerHour = TimeSpan.TicksPerHour;

    /// <summary>
    /// The statistics of [<paramref name="from"/>, <paramref name="to"/>), widened to whole UTC hours, per
    /// <paramref name="granularity"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The range is empty, reversed or longer than <see cref="MaxRange"/> (named).</exception>
    public async Task<KeyRequestActivity> GetAsync(
        DateTimeOffset from, DateTimeOffset to, ActivityGranularity granularity, CancellationToken cancellationToken = default)
    {
        if (to <= from)
        {
            throw new ArgumentException("to: expected after from.", nameof(to));
        }

        if (to - from > MaxRange)
        {
            throw new ArgumentException($"to: the range is limited to {MaxRange.TotalDays:N0} days.", nameof(to));
        }

        var fromHour = Floor(from.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, TicksPerHour);
        var toHour = -Floor(-(to.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks), TicksPerHour);
        var hoursPerPeriod = granularity == ActivityGranularity.Day ? 24 : 1;
        var sums = new Dictionary<(long Period, string Tsm, string Outcome, int Bucket), long>();
        void Add(long hour, string tsm, string outcome, int bucket, long count)
        {
            var key = (Floor(hour, hoursPerPeriod), tsm, outcome, bucket);
            sums[key] = sums.GetValueOrDefault(key) + count;
        }

        bool complete;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            await using var snapshot = await AuditReadSnapshot.BeginAsync(db, cancellationToken);
            var watermark = await KeyRequestRollup.ReadWatermarkAsync(db, cancellationToken);
            await using (var command = db.Database.GetDbConnection().CreateCommand())
            {
                command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                // Integer division: hours since the epoch are positive for any time the product records.
                command.CommandText = $"SELECT hour / {hoursPerPeriod} AS p, tsm, outcome, bucket, SUM(requests) FROM {KeyRequestRollupRow.Table} " +
                    "WHERE hour >= @from AND hour < @to GROUP BY p, tsm, outcome, bucket";
                AuditRows.AddParameter(command, "@from", fromHour);
                AuditRows.AddParameter(command, "@to", toHour);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var key = (Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2),
                        Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture));
                    sums[key] = sums.GetValueOrDefault(key) + Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture);
                }
            }

            var (tail, _) = await KeyRequestFacts.ReadAsync(db, watermark, MaxTail + 1, cancellationToken);
            complete = tail.Count <= MaxTail;
            foreach (var fact in tail.Take(MaxTail).Where(f => f.Hour >= fromHour && f.Hour < toHour))
            {
                Add(fact.Hour, fact.Tsm, fact.Outcome, fact.Bucket, 1);
            }
        }

        return Build(fromHour, toHour, hoursPerPeriod, granularity, sums, complete);
    }

    private static KeyRequestActivity Build(
        long fromHour, long toHour, int hoursPerPeriod, ActivityGranularity granularity,
        Dictionary<(long Period, string Tsm, string Outcome, int Bucket), long> sums, bool complete)
    {
        var byPeriod = sums.GroupBy(s => s.Key.Period).ToDictionary(g => g.Key, g => g.ToList());
        var periods = new List<KeyRequestPeriod>();
        for (var period = Floor(fromHour, hoursPerPeriod); period * hoursPerPeriod < toHour; period++)
        {
            var rows = byPeriod.GetValueOrDefault(period) ?? [];
            periods.Add(new KeyRequestPeriod(
                DateTimeOffset.UnixEpoch.AddHours(period * hoursPerPeriod),
                Sum(rows, r => r.Tsm),
                Sum(rows, r => r.Outcome),
                new LatencyHistogram(rows.Where(r => r.Key.Outcome == AuditRecord.OutcomeOk)
                    .GroupBy(r => r.Key.Bucket).ToDictionary(g => g.Key, g => g.Sum(r => r.Value)))));
        }

        return new KeyRequestActivity(
            DateTimeOffset.UnixEpoch.AddHours(fromHour), DateTimeOffset.UnixEpoch.AddHours(toHour), granularity, periods, complete);
    }

    private static Dictionary<string, long> Sum(
        List<KeyValuePair<(long Period, string Tsm, string Outcome, int Bucket), long>> rows,
        Func<(long Period, string Tsm, string Outcome, int Bucket), string> key) =>
        rows.GroupBy(r => key(r.Key), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(r => r.Value), StringComparer.Ordinal);

    private static long Floor(long value, long divisor) => value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);
}
