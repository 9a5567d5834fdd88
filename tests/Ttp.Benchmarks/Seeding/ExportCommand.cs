using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Benchmarks.Seeding;

/// <summary>
/// <c>export --data DIR [--postgres CONNSTRING] --format csv|jsonl [--tsm NAME]</c>: exports every key request (or one
/// TSM's) of a seeded installation with <see cref="AuditExporter.ExportSelectionAsync"/> into a null stream through a
/// UTF-8 writer (as the portal's endpoint does), and prints the rows, the time and the peak growth of the working set and
/// of the managed heap, sampled every 20 ms (docs/PERFORMANCE.md, "Filtered exports").
/// </summary>
internal static class ExportCommand
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "export";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        if (!options.TryGetValue("--data", out var data) || options.GetValueOrDefault("--format") is not ("csv" or "jsonl"))
        {
            await Console.Error.WriteLineAsync("usage: export --data DIR [--postgres CONNSTRING] --format csv|jsonl [--tsm NAME]");
            return 2;
        }

        var format = options["--format"] == "csv" ? AuditExportFormat.Csv : AuditExportFormat.JsonLines;
        await using var services = AuditSeeder.Installation(data, options.GetValueOrDefault("--postgres"));
        var factory = services.GetRequiredService<IDbContextFactory<TtpDbContext>>();
        var anchors = services.GetRequiredService<AuditCheckpointFile>();
        var selection = AuditSelection.KeyRequests(new KeyRequestFilter(Tsm: options.GetValueOrDefault("--tsm")));

        // Warm up (connection pool, JIT, SQLite's page cache) on a small selection, then measure from a collected heap.
        await AuditExporter.ExportSelectionAsync(factory, TextWriter.Null, format, anchors, AuditSelection.KeyRequests(new KeyRequestFilter(Tsm: "warm-up")));
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseWorkingSet = process.WorkingSet64;
        var baseHeap = GC.GetTotalMemory(forceFullCollection: false);
        long peakWorkingSet = baseWorkingSet, peakHeap = baseHeap;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
                try
                {
                    await Task.Delay(20, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        var watch = Stopwatch.StartNew();
        AuditSelectionExport result;
        await using (var writer = new StreamWriter(Stream.Null, new UTF8Encoding(false), 16 * 1024))
        {
            result = await AuditExporter.ExportSelectionAsync(factory, writer, format, anchors, selection);
        }

        watch.Stop();
        await sampling.CancelAsync();
        await sampler;
        const double MiB = 1024 * 1024;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"export {options["--format"]}: {result.Records:N0} rows ({result.Matches:N0} matching) in {watch.Elapsed.TotalSeconds:F2} s " +
            $"({result.Records / watch.Elapsed.TotalSeconds:N0} rows/s); working set {baseWorkingSet / MiB:N1} MiB, peak growth " +
            $"{(peakWorkingSet - baseWorkingSet) / MiB:N1} MiB; managed heap peak growth {(peakHeap - baseHeap) / MiB:N1} MiB; " +
            $"GCs gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}"));
        return 0;
    }
}
