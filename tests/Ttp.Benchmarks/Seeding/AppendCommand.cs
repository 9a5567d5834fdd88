using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;

namespace Ttp.Benchmarks.Seeding;

/// <summary>
/// <c>append [--callers 16] [--seconds 10] [--batch-delay-ms 2] [--checkpoint-ms 5000]</c>: the audit benchmark's load
/// (<see cref="AuditAppendBenchmarks"/>: N callers each awaiting a durable append, then appending again) for a fixed time
/// in one process, printing records per second and the mean batch, so that a profiler can be attached to a steady state.
/// BenchmarkDotNet's figure stays the one of record (docs/PERFORMANCE.md).
/// </summary>
internal static class AppendCommand
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "append";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        int Int(string name, int fallback) => int.Parse(options.GetValueOrDefault(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var callers = Int("--callers", 16);
        var seconds = Int("--seconds", 10);
        var settings = new AuditOptions { BatchMaxDelayMs = Int("--batch-delay-ms", 2), BatchMaxSize = 256, CheckpointIntervalMs = Int("--checkpoint-ms", 5000) };

        using var database = await AuditBenchmarkDatabase.CreateAsync();
        var scalar = AuditSigningKey.GeneratePrivateScalar();
        using var signingKey = AuditSigningKey.FromPrivateScalar(scalar);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(scalar);
        await using var anchor = new AuditAnchor(
            database.Factory, new AuditCheckpointFile(Path.Combine(database.Folder, "anchors")), signingKey, database.Key,
            Options.Create(settings), TimeProvider.System, NullLogger<AuditAnchor>.Instance);
        await anchor.BeginAsync(CancellationToken.None);
        await using var writer = new AuditWriter(database.Factory, database.Key, anchor, Options.Create(settings), TimeProvider.System, NullLogger<AuditWriter>.Instance);

        long issued = 0;
        long committed = 0;
        var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var watch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await writer.AppendAsync(AuditBenchmarkDatabase.KeyRequest(Interlocked.Increment(ref issued)));
                Interlocked.Increment(ref committed);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        var elapsed = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{callers} callers, {elapsed:F1} s: {committed:N0} records, {committed / elapsed:N0} records/s"));
        return 0;
    }
}
