using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;

namespace Ttp.Benchmarks;

/// <summary>
/// Durable audit appends through the group-commit <see cref="AuditWriter"/> (DESIGN.md section 5, write-ahead audit):
/// <see cref="Callers"/> concurrent callers each await <see cref="AuditWriter.AppendAsync"/> (which returns only after
/// the commit) and append again, on SQLite in WAL mode with synchronous=FULL in a temporary folder. One operation is
/// one record: the <c>Op/s</c> column is records per second. Target (issue): 20,000 records/s or more.
/// <c>dotnet run -c Release --project tests/Ttp.Benchmarks -- --filter '*Audit*'</c>
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class AuditAppendBenchmarks
{
    private const int RecordsPerInvocation = 20_000;

    private AuditBenchmarkDatabase _database = null!;
    private AuditWriter _writer = null!;
    private long _issued;

    /// <summary>Concurrent callers (requests in flight).</summary>
    [Params(64, 256)]
    public int Callers { get; set; }

    /// <summary><see cref="AuditOptions.BatchMaxDelayMs"/>.</summary>
    [Params(0, 2)]
    public int BatchMaxDelayMs { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await AuditBenchmarkDatabase.CreateAsync();
        _writer = new AuditWriter(
            _database.Factory,
            _database.Key,
            Options.Create(new AuditOptions { BatchMaxDelayMs = BatchMaxDelayMs, BatchMaxSize = 256 }),
            TimeProvider.System,
            NullLogger<AuditWriter>.Instance);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _writer.DisposeAsync();
        _database.Dispose();
    }

    [Benchmark(OperationsPerInvoke = RecordsPerInvocation, Description = "AuditWriter group commit, 1 record per caller await")]
    public async Task GroupCommitAsync()
    {
        var stop = Interlocked.Read(ref _issued) + RecordsPerInvocation;
        var callers = new Task[Callers];
        for (var c = 0; c < callers.Length; c++)
        {
            callers[c] = Task.Run(async () =>
            {
                long i;
                while ((i = Interlocked.Increment(ref _issued)) <= stop)
                {
                    await _writer.AppendAsync(AuditBenchmarkDatabase.KeyRequest(i));
                }
            });
        }

        await Task.WhenAll(callers);
        Interlocked.Exchange(ref _issued, stop);
    }

    /// <summary>Each iteration is one invocation of 20,000 records (about a second): no unrolling, few iterations.</summary>
    public sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}
