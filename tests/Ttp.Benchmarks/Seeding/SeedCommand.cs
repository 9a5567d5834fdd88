using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Benchmarks.Seeding;

/// <summary>
/// <c>seed --records N --data DIR [--postgres CONNSTRING] [--days 30] [--batch 10000] [--seed 11]</c> and
/// <c>verify --data DIR [--postgres CONNSTRING] [--profile 1] [--runs 1]</c> and <c>search ...</c> (<see cref="SearchCommand"/>): the auditor's workspace data (docs/PERFORMANCE.md).
/// </summary>
internal static class SeedCommand
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] is "seed" or "verify" or SearchCommand.Name;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        if (!options.TryGetValue("--data", out var data))
        {
            await Console.Error.WriteLineAsync("usage: seed --records N --data DIR [--postgres CONNSTRING] [--days 30] [--batch 10000] [--seed 11] | verify --data DIR [--postgres CONNSTRING] [--profile 1] [--runs 1] | search --data DIR [--postgres CONNSTRING] [--runs 15]");
            return 2;
        }

        options.TryGetValue("--postgres", out var postgres);
        await using var services = AuditSeeder.Installation(data, postgres);
        if (args[0] == SearchCommand.Name)
        {
            return await SearchCommand.RunAsync(services, int.Parse(options.GetValueOrDefault("--runs", "15"), CultureInfo.InvariantCulture));
        }

        if (args[0] == "seed")
        {
            var records = long.Parse(options.GetValueOrDefault("--records", "1000000"), CultureInfo.InvariantCulture);
            var days = int.Parse(options.GetValueOrDefault("--days", "30"), CultureInfo.InvariantCulture);
            var batch = int.Parse(options.GetValueOrDefault("--batch", "10000"), CultureInfo.InvariantCulture);
            var seed = int.Parse(options.GetValueOrDefault("--seed", "11"), CultureInfo.InvariantCulture);
            var to = DateTimeOffset.UtcNow;
            var result = await AuditSeeder.SeedAsync(services, records, to.AddDays(-days), to, seed, batch, Console.Out);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seeded {result.Records:N0} records from sequence {result.FirstSequence:N0} in {result.Append.TotalSeconds:F1} s ({result.RecordsPerSecond:N0} records/s); checkpoint at {result.CheckpointSequence:N0} in {result.Checkpoint.TotalSeconds:F1} s"));
        }

        if (args[0] == "verify" && options.ContainsKey("--profile"))
        {
            await ReadOnlyAsync(services);
        }

        // The installation opened first, as the portal has long done when someone starts a verification: EF Core's model,
        // the first query, the audit key's envelope opened under the LMK, the signing key.
        var opening = System.Diagnostics.Stopwatch.StartNew();
        await services.GetRequiredService<Ttp.Domain.AuditKeyHolder>().GetAsync();
        var keyTime = opening.Elapsed;
        await services.GetRequiredService<AuditSigningKeyHolder>().GetAsync();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"opened: audit key {keyTime.TotalSeconds:F2} s, signing key {(opening.Elapsed - keyTime).TotalSeconds:F2} s"));

        // --runs N: the first verification of the process, then warm ones (the JIT's tiers done).
        var runs = Math.Max(1, int.Parse(options.GetValueOrDefault("--runs", "1"), CultureInfo.InvariantCulture));
        AuditVerificationResult verified = null!;
        for (var run = 1; run <= runs; run++)
        {
            (verified, var elapsed) = await AuditSeeder.VerifyAsync(services);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"verify {run}/{runs}: valid={verified.IsValid} {verified.Problem}, {verified.RecordCount:N0} records in {elapsed.TotalSeconds:F2} s ({verified.RecordCount / elapsed.TotalSeconds:N0} records/s)"));
        }

        if (postgres is null)
        {
            var file = Path.Combine(Path.GetFullPath(data), "ttp.db");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"database: {new FileInfo(file).Length / 1048576.0:N0} MiB ({file})"));
        }

        return verified.IsValid ? 0 : 5;
    }

    // --profile: the rows read alone, as the verifier reads them (what it spends beside hashing, MACs and checkpoints).
    private static async Task ReadOnlyAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContextAsync();
        await using var snapshot = await AuditReadSnapshot.BeginAsync(db, CancellationToken.None);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long rows = 0, bytes = 0;
        await foreach (var batch in AuditRowReader.ReadAheadAsync(db, 1024, CancellationToken.None))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                rows++;
                bytes += batch[i].Details.Length;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"read only: {rows:N0} rows in {watch.Elapsed.TotalSeconds:F2} s ({rows / watch.Elapsed.TotalSeconds:N0} rows/s), {bytes / Math.Max(rows, 1)} bytes of details per row"));
    }
}
