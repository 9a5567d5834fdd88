using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Benchmarks.Seeding;

/// <summary>
/// <c>search --data DIR [--postgres CONNSTRING] [--runs 15]</c>: the key-request workspace's filtered first page (50 rows,
/// newest first, through <see cref="KeyRequestSearch"/> as the page calls it) on a seeded installation, for the filters the
/// acceptance names: a TSM and a day, a KDD (a card with many requests and one with few), a RequestId; and, for
/// comparison, an outcome and an IIN. Prints the first (cold) run and the median and maximum of the others
/// (docs/PERFORMANCE.md).
/// </summary>
internal static class SearchCommand
{
    public const string Name = "search";

    public static async Task<int> RunAsync(IServiceProvider services, int runs)
    {
        // An installation seeded by an earlier build is upgraded first, as the portal does at start (timed: the index rebuilds).
        var migrating = Stopwatch.StartNew();
        await TtpDatabase.MigrateAsync(services.GetRequiredService<IDbContextFactory<TtpDbContext>>());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"migrations: {migrating.Elapsed.TotalSeconds:F1} s"));
        var search = ActivatorUtilities.CreateInstance<KeyRequestSearch>(services);

        // Values to look for, taken from the data: the newest record, and records from the middle of the range.
        var newest = (await search.SearchAsync(new KeyRequestFilter(), 1)).Rows;
        if (newest.Count == 0)
        {
            await Console.Error.WriteLineAsync("no key-request record: seed first");
            return 2;
        }

        var last = newest[0];
        var middle = (await search.SearchAsync(new KeyRequestFilter(), 1, before: last.Sequence / 2)).Rows[0];
        var day = new DateTimeOffset(middle.OccurredAt.UtcDateTime.Date, TimeSpan.Zero);
        var hotKdd = await MostRequestedKddAsync(search, last);
        var cases = new (string Name, KeyRequestFilter Filter)[]
        {
            ("TSM and a day", new KeyRequestFilter(Tsm: middle.Tsm, From: day, To: day.AddDays(1))),
            ("KDD (a card asked often)", new KeyRequestFilter(Kdd: hotKdd)),
            ("KDD (one card)", new KeyRequestFilter(Kdd: middle.Kdd)),
            ("RequestId", new KeyRequestFilter(RequestId: middle.RequestId)),
            ("IIN", new KeyRequestFilter(Iin: middle.Iin)),
            ("fault code", new KeyRequestFilter(Outcome: "NotAccredited")),
            ("TSM, fault code and a day", new KeyRequestFilter(Tsm: middle.Tsm, Outcome: "NotAccredited", From: day, To: day.AddDays(1))),
        };

        foreach (var (name, filter) in cases)
        {
            var times = new List<double>(runs);
            var rows = 0;
            for (var i = 0; i < runs; i++)
            {
                var watch = Stopwatch.StartNew();
                var page = await search.SearchAsync(filter, 50);
                times.Add(watch.Elapsed.TotalMilliseconds);
                rows = page.Rows.Count;
            }

            var warm = times.Skip(1).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-28} rows {rows,3}  first {times[0],7:F1} ms  median {warm[warm.Count / 2],7:F1} ms  max {warm[^1],7:F1} ms"));
        }

        return 0;
    }

    // The hot cards take 30% of the seeded requests: the most recent pages hold several requests of one of them.
    private static async Task<string?> MostRequestedKddAsync(KeyRequestSearch search, KeyRequestRow last)
    {
        var recent = await search.SearchAsync(new KeyRequestFilter(), KeyRequestSearch.MaxPageSize);
        return recent.Rows.Where(r => r.Kdd is not null).GroupBy(r => r.Kdd).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault()
            ?? last.Kdd;
    }
}
