using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;

namespace Ttp.Benchmarks;

/// <summary>
/// Durable audit appends through the group-commit <see cref="AuditWriter"/> (docs/DESIGN.md section 5, write-ahead audit):
/// <see cref="Callers"/> concurrent callers each await <see cref="AuditWriter.AppendAsync"/> (which returns only after
/// the commit) and append again, on SQLite in WAL mode with synchronous=FULL in a temporary folder, each batch handed to
/// the <see cref="AuditAnchor"/> for its signed checkpoint (written and flushed to disk in the anchors folder, at most
/// every <see cref="CheckpointIntervalMs"/>). One operation is one record: the <c>Op/s</c> column is records per second.
/// Target (issue): 20,000 records/s or more.
/// <c>dotnet run -c Release --project tests/Ttp.Benchmarks -- --filter '*Audit*'</c>
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class AuditAppendBenchmarks
{
    private const int RecordsPerInvocation = 20_000;

    private AuditBenchmarkDatabase _database = null!;
    private AuditSigningKey _signingKey = null!;
    private AuditAnchor _anchor = null!;
    private AuditWriter _writer = null!;
    private long _issued;

    /// <summary>Concurrent callers (requests in flight): 16 is the SOAP load test's connections (scripts/load.sh).</summary>
    [Params(16, 64, 256)]
    public int Callers { get; set; }

    /// <summary><see cref="AuditOptions.BatchMaxDelayMs"/>.</summary>
    [Params(0, 2)]
    public int BatchMaxDelayMs { get; set; }

    /// <summary><see cref="AuditOptions.CheckpointIntervalMs"/> (1000, and 0: a checkpoint after every batch; the default, 5000, does less than 1000).</summary>
    [Params(1000, 0)]
    public int CheckpointIntervalMs { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _database = await AuditBenchmarkDatabase.CreateAsync();
        var options = Options.Create(new AuditOptions { BatchMaxDelayMs = BatchMaxDelayMs, BatchMaxSize = 256, CheckpointIntervalMs = CheckpointIntervalMs });
        var scalar = AuditSigningKey.GeneratePrivateScalar();
        _signingKey = AuditSigningKey.FromPrivateScalar(scalar);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(scalar);
        _anchor = new AuditAnchor(
            _database.Factory, new AuditCheckpointFile(Path.Combine(_database.Folder, "anchors")), _signingKey, _database.Key,
            options, TimeProvider.System, NullLogger<AuditAnchor>.Instance);
        await _anchor.BeginAsync(CancellationToken.None);
        _writer = new AuditWriter(_database.Factory, _database.Key, _anchor, options, TimeProvider.System, NullLogger<AuditWriter>.Instance);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _writer.DisposeAsync();
        await _anchor.DisposeAsync();
        _signingKey.Dispose();
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

    /// <summary>Each iteration is one invocation of 20,000 records (about a second): no unrolling; three warm-up iterations (the JIT settles) and ten measured.</summary>
    public sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}
