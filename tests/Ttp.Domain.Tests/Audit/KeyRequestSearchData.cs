using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

/// <summary>Key-request records appended through <see cref="AuditLedger"/> with known fields, and what each search must find.</summary>
internal sealed record KeyRequestSample(
    long Sequence, DateTimeOffset At, Guid RequestId, string? Tsm, string Iin, string Kdd, int Kvn, int KekIndex, string Outcome);

internal static class KeyRequestSearchData
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);
    private static readonly string[] Tsms = ["acme", "globex", "initech"];
    private static readonly string[] Outcomes = ["ok", "ok", "ScopeDenied", "UnknownKey"];

    /// <summary>Appends <paramref name="count"/> key requests (one every 7 minutes, fields cycling), a staff action
    /// among them, and returns the key requests.</summary>
    public static async Task<List<KeyRequestSample>> AppendAsync(TestDatabase database, int count)
    {
        using var key = AuditTestSupport.NewKey();
        var samples = new List<KeyRequestSample>();
        var records = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            var at = Start.AddMinutes(7 * i);
            var tsm = i % 11 == 10 ? null : Tsms[i % Tsms.Length];
            var sample = new KeyRequestSample(records.Count + 1, at, Guid.NewGuid(), tsm, $"A000000{i % 2 + 1}",
                $"0000326620171020{i % 50:D4}", i % 3 + 1, i % 2 + 1, Outcomes[i % Outcomes.Length]);
            samples.Add(sample);
            var details = new
            {
                sample.RequestId, sample.Tsm, sample.Iin, sample.Kdd, sample.Kvn, sample.KekIndex, sample.Outcome,
                LatencyMicroseconds = 100 + i,
            };
            records.Add(AuditRecord.KeyRequest(Ttp.Domain.Actor.Tsm(tsm ?? "unknown"), $"issuer-key:{sample.Iin}/{sample.Kvn}", sample.Outcome, details)
                .WithOccurredAt(at));
            if (i == 3)
            {
                // A staff action naming a KDD in its details: never a key-request result.
                records.Add(AuditRecord.StaffAction("kek.imported", Ttp.Domain.Actor.Staff("alice@ttp.example"), "kek:acme/1",
                    new { Tsm = "acme", Kdd = sample.Kdd }).WithOccurredAt(at));
            }
        }

        await using var db = database.Factory.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await AuditLedger.AppendAsync(db, records, key);
        await transaction.CommitAsync();
        return [.. samples.Select((s, i) => s with { Sequence = i > 3 ? i + 2 : i + 1 })];
    }

    public static async Task AnalyzeAsync(TestDatabase database)
    {
        await using var db = database.Factory.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "ANALYZE";
        await command.ExecuteNonQueryAsync();
    }
}
