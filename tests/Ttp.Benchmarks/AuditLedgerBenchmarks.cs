using BenchmarkDotNet.Attributes;
using Ttp.Domain.Audit;

namespace Ttp.Benchmarks;

/// <summary>
/// The reference point for <see cref="AuditAppendBenchmarks"/>: one caller, one transaction (one durable commit, one
/// fsync of the WAL) per record through <see cref="AuditLedger"/>, as a staff action is written. The <c>Op/s</c>
/// column is records per second.
/// </summary>
[Config(typeof(AuditAppendBenchmarks.Config))]
[MemoryDiagnoser]
public class AuditLedgerBenchmarks
{
    private const int RecordsPerInvocation = 1_000;

    private AuditBenchmarkDatabase _database = null!;
    private long _issued;

    [GlobalSetup]
    public async Task SetupAsync() => _database = await AuditBenchmarkDatabase.CreateAsync();

    [GlobalCleanup]
    public void Cleanup() => _database.Dispose();

    [Benchmark(OperationsPerInvoke = RecordsPerInvocation, Description = "AuditLedger, one transaction per record")]
    public async Task OneTransactionPerRecordAsync()
    {
        for (var i = 0; i < RecordsPerInvocation; i++)
        {
            await using var db = _database.Factory.CreateDbContext();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await AuditLedger.AppendAsync(db, [AuditBenchmarkDatabase.KeyRequest(++_issued)], _database.Key);
            await transaction.CommitAsync();
        }
    }
}
