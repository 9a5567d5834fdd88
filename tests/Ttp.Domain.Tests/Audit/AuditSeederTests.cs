using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Benchmarks.Seeding;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Domain.Tests.Audit;

/// <summary>
/// The benchmarks' seeding tool (tests/Ttp.Benchmarks/Seeding, compiled in here) leaves an installation whose trail the
/// product's verifier accepts, with the mix it promises.
/// </summary>
public sealed class AuditSeederTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ttp-seed-test-").FullName;

    [Fact]
    public async Task Seed_TwoThousandKeyRequests_TrailVerifiesWithItsCheckpoints()
    {
        var to = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var services = AuditSeeder.Installation(_folder, postgres: null))
        {
            var seeded = await AuditSeeder.SeedAsync(services, 2_000, to.AddDays(-30), to, batchSize: 700);
            Assert.Equal(2_000, seeded.Records);
            Assert.Equal(seeded.FirstSequence + 1_999, seeded.CheckpointSequence);

            await using var db = await services.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContextAsync();
            var requests = await db.AuditEvents.AsNoTracking().Where(e => e.Action == AuditRecord.KeyRequestAction).OrderBy(e => e.Sequence).ToListAsync();
            Assert.Equal(2_000, requests.Count);
            Assert.True(requests.Select(e => e.Actor).Distinct().Count() >= 8);
            Assert.InRange(requests.Count(e => e.Outcome != AuditRecord.OutcomeOk), 10, 100);
            Assert.All(requests, e => Assert.InRange(e.OccurredAt, to.AddDays(-30), to));
            Assert.Equal(requests.OrderBy(e => e.OccurredAt).Select(e => e.Sequence), requests.Select(e => e.Sequence));
            Assert.DoesNotContain(requests, e => e.Details.Contains("\"Key\"", StringComparison.Ordinal));
        }

        // A fresh process's view, as ttpctl audit verify sees it: chain, MACs and signed checkpoints.
        await using var reopened = AuditSeeder.Installation(_folder, postgres: null);
        var (result, _) = await AuditSeeder.VerifyAsync(reopened);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(2_001, result.LastSequence);
        Assert.Equal(2_001, result.LatestCheckpoint);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
