using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.Audit;

namespace Ttp.Benchmarks.Seeding;

/// <summary>
/// <c>charts --data DIR [--postgres CONNSTRING] [--days 30] [--runs 7]</c>: catches the key-request rollup up (timed
/// once: what an upgrade or a long stop costs), then times the activity charts' query over the last N days (min and
/// median of several runs) and the dashboard's 24-hour query (docs/PERFORMANCE.md).
/// </summary>
internal static class ChartsCommand
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "charts";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        if (!options.TryGetValue("--data", out var data))
        {
            await Console.Error.WriteLineAsync("usage: charts --data DIR [--postgres CONNSTRING] [--days 30] [--runs 7]");
            return 2;
        }

        options.TryGetValue("--postgres", out var postgres);
        var days = int.Parse(options.GetValueOrDefault("--days", "30"), CultureInfo.InvariantCulture);
        var runs = int.Parse(options.GetValueOrDefault("--runs", "7"), CultureInfo.InvariantCulture);
        await using var services = AuditSeeder.Installation(data, postgres);
        await DomainInitializer.InitializeAsync(services, CancellationToken.None);
        var rollup = services.GetRequiredService<KeyRequestRollup>();
        var statistics = services.GetRequiredService<KeyRequestStatistics>();
        var queries = services.GetRequiredService<AuditQueries>();

        var watch = Stopwatch.StartNew();
        var added = await rollup.CatchUpAsync();
        var caughtUp = watch.Elapsed;
        var watermark = await rollup.WatermarkAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rollup catch-up: {added:N0} key requests in {caughtUp.TotalSeconds:F1} s, watermark {watermark:N0}"));

        var to = DateTimeOffset.UtcNow;
        KeyRequestActivity? last = null;
        var charts = await TimeAsync(runs, async () => last = await statistics.GetAsync(to.AddDays(-days), to, ActivityGranularity.Day));
        var total = last!.Periods.Sum(p => p.Total);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"charts ({days} days, per day): min {charts.Min:F1} ms, median {charts.Median:F1} ms over {runs} runs; {total:N0} requests, {last.Tsms.Count} TSMs, {last.FaultCodes.Count} fault codes"));
        var dashboard = await TimeAsync(runs, () => queries.KeyRequestsPerHourAsync(24));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dashboard (24 hours, per hour): min {dashboard.Min:F1} ms, median {dashboard.Median:F1} ms over {runs} runs"));
        return 0;
    }

    private static async Task<(double Min, double Median)> TimeAsync(int runs, Func<Task> query)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await query();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return (times[0], times[times.Count / 2]);
    }
}
