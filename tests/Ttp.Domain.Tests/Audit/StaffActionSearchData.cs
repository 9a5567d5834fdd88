using Ttp.Domain.Audit;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

/// <summary>A staff action appended with known fields (its sequence in the chain).</summary>
internal sealed record StaffActionSample(long Sequence, DateTimeOffset At, string Actor, string Action, string Subject, string Outcome);

/// <summary>Staff actions appended through <see cref="AuditLedger"/> among key requests, with known fields.</summary>
internal static class StaffActionSearchData
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);
    private static readonly string[] Staff = ["alice@ttp.example", "bob@ttp.example", "carol@ttp.example", "dave@ttp.example", "erin@ttp.example"];
    private static readonly string[] Actions = ["tsm.approved", "tsm.suspended", "kek.imported", "issuer-key.retired", "staff.invited", "ceremony.opened"];
    private static readonly string[] Outcomes = ["ok", "ok", "ok", "Refused"];

    /// <summary>
    /// Appends <paramref name="count"/> staff actions (one every 7 minutes, fields cycling), each followed by
    /// <paramref name="keyRequestsBetween"/> key requests naming the same actor and subject in their details, and returns the
    /// staff actions.
    /// </summary>
    public static async Task<List<StaffActionSample>> AppendAsync(TestDatabase database, int count, int keyRequestsBetween = 1)
    {
        using var key = AuditTestSupport.NewKey();
        var samples = new List<StaffActionSample>();
        var records = new List<AuditRecord>();
        for (var i = 0; i < count; i++)
        {
            var at = Start.AddMinutes(7 * i);
            var actor = Actor.Staff(Staff[i % Staff.Length]);
            var sample = new StaffActionSample(records.Count + 1, at, actor.Id, Actions[i % Actions.Length], $"tsm:tsm-{i % 40}", Outcomes[i % Outcomes.Length]);
            samples.Add(sample);
            records.Add(AuditRecord.StaffAction(sample.Action, actor, sample.Subject,
                new { Before = new { State = "Pending", Index = i }, After = new { State = "Approved", Index = i } }, sample.Outcome).WithOccurredAt(at));
            for (var k = 0; k < keyRequestsBetween; k++)
            {
                // Same actor text and subject on a key request: never a staff-action result.
                records.Add(new AuditRecord(AuditStream.KeyRequest, AuditRecord.KeyRequestAction, actor.Id, sample.Subject, sample.Outcome,
                    "{\"tsm\":\"acme\"}", at.AddSeconds(k + 1)));
            }
        }

        await using var db = database.Factory.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await AuditLedger.AppendAsync(db, records, key);
        await transaction.CommitAsync();
        return samples;
    }
}
