using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Benchmarks.Seeding;

/// <summary>
/// Seeds an installation's audit trail with key-request records through the product's own append path
/// (<see cref="AuditLedger.AppendAsync(TtpDbContext, IReadOnlyList{AuditRecord}, AuditKey, CancellationToken)"/>:
/// the chain head lock, <c>AuditHasher</c>'s hashes and MACs, the plain-SQL insert) in large transactions, then lets
/// the product checkpoint the head (<see cref="AuditAnchor.CheckpointHeadAsync"/>, which checks the new stretch first),
/// so that <c>ttpctl audit verify</c> accepts the result. The installation is initialised as <c>ttpctl init</c> does.
/// </summary>
public static class AuditSeeder
{
    /// <summary>The domain services of the installation in <paramref name="dataDirectory"/> (SQLite there, or PostgreSQL).</summary>
    public static ServiceProvider Installation(string dataDirectory, string? postgres)
    {
        var settings = new Dictionary<string, string?> { ["Ttp:DataDirectory"] = Path.GetFullPath(dataDirectory) };
        if (postgres is not null)
        {
            settings["Ttp:Database:Provider"] = nameof(DatabaseProvider.Postgres);
            settings["ConnectionStrings:Ttp"] = postgres;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddTtpDomain(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Appends <paramref name="records"/> records of <see cref="KeyRequestMix"/> (times in [from, to)) in transactions of
    /// <paramref name="batchSize"/>, then checkpoints the head; reports progress to <paramref name="progress"/>.
    /// </summary>
    public static async Task<SeedResult> SeedAsync(
        IServiceProvider services, long records, DateTimeOffset from, DateTimeOffset to, int seed = 11, int batchSize = 10_000,
        TextWriter? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(records, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        await DomainInitializer.InitializeAsync(services, cancellationToken);
        var factory = services.GetRequiredService<IDbContextFactory<TtpDbContext>>();
        var key = await services.GetRequiredService<AuditKeyHolder>().GetAsync(cancellationToken);
        var mix = new KeyRequestMix(seed, from, to, records);

        var total = Stopwatch.StartNew();
        var batch = new List<AuditRecord>(batchSize);
        var lastReport = TimeSpan.Zero;
        long first = 0;
        for (long i = 0; i < records;)
        {
            batch.Clear();
            while (batch.Count < batchSize && i < records)
            {
                batch.Add(mix.Next(i++));
            }

            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var sequence = await AuditLedger.AppendAsync(db, batch, key, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            first = first == 0 ? sequence : first;
            if (progress is not null && (total.Elapsed - lastReport > TimeSpan.FromSeconds(5) || i == records))
            {
                lastReport = total.Elapsed;
                await progress.WriteLineAsync($"seed: {i:N0}/{records:N0} records, {i / total.Elapsed.TotalSeconds:N0} records/s");
            }
        }

        var appended = total.Elapsed;
        var checkpoint = await services.GetRequiredService<AuditAnchor>().CheckpointHeadAsync(cancellationToken);
        return new SeedResult(records, first, appended, total.Elapsed - appended, checkpoint?.Sequence);
    }

    /// <summary>The installation's verification, as <c>ttpctl audit verify</c> runs it, timed.</summary>
    public static async Task<(AuditVerificationResult Result, TimeSpan Elapsed)> VerifyAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var verifier = services.GetRequiredService<AuditTrailVerifier>();
        var watch = Stopwatch.StartNew();
        var result = await verifier.VerifyAsync(cancellationToken);
        return (result, watch.Elapsed);
    }
}

/// <summary>What a seeding run did: records appended from sequence <paramref name="FirstSequence"/>, the time to
/// append them and to checkpoint the head, and the checkpoint's sequence (null when nothing new was covered).</summary>
public sealed record SeedResult(long Records, long FirstSequence, TimeSpan Append, TimeSpan Checkpoint, long? CheckpointSequence)
{
    public double RecordsPerSecond => Records / Append.TotalSeconds;
}
