using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

public sealed class StaffActionSearchPlanTests
{
    public static TheoryData<DatabaseProvider, string, string> PlanCases()
    {
        var data = new TheoryData<DatabaseProvider, string, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            data.Add(provider, "actor", "ix_audit_sa_actor");
            data.Add(provider, "action", "ix_audit_sa_action");
            data.Add(provider, "subject", "ix_audit_sa_subject");
            data.Add(provider, "outcome", "ix_audit_sa_outcome");
            // Either time index is a search of the range (PostgreSQL may prefer the narrower one of the table).
            data.Add(provider, "time", "ix_audit_events_(stream_)?occurred_at");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PlanCases))]
    public async Task SearchAsync_FirstPageAfterAnalyze_PlanUsesStaffActionIndexWithoutFullScan(DatabaseProvider provider, string search, string index)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        // Key requests far outnumber staff actions, as in production (a planner would rightly walk a small table).
        var samples = await StaffActionSearchData.AppendAsync(database, 300, keyRequestsBetween: 30);
        await KeyRequestSearchData.AnalyzeAsync(database);
        var from = StaffActionSearchData.Start.AddDays(1);
        var filter = search switch
        {
            "actor" => new StaffActionFilter(Actor: samples[3].Actor),
            "action" => new StaffActionFilter(Action: "kek.imported"),
            "subject" => new StaffActionFilter(Subject: "tsm:tsm-7"),
            "outcome" => new StaffActionFilter(Outcome: "Refused"),
            _ => new StaffActionFilter(From: from, To: from.AddHours(3)),
        };
        Assert.NotEmpty(search switch
        {
            "actor" => samples.Where(s => s.Actor == samples[3].Actor),
            "action" => samples.Where(s => s.Action == "kek.imported"),
            "subject" => samples.Where(s => s.Subject == "tsm:tsm-7"),
            "outcome" => samples.Where(s => s.Outcome == "Refused"),
            _ => samples.Where(s => s.At >= from && s.At < from.AddHours(3)),
        });

        foreach (var order in new[] { AuditOrder.NewestFirst, AuditOrder.OldestFirst })
        {
            await using var db = database.Factory.CreateDbContext();
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            var sqlite = provider == DatabaseProvider.Sqlite;
            command.CommandText = (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + StaffActionSearch.BuildSql(filter.Validated(), sqlite, 51, null, order, command);
            var plan = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(Convert.ToString(reader.GetValue(reader.FieldCount - 1), System.Globalization.CultureInfo.InvariantCulture)!);
                }
            }

            var text = string.Join("\n", plan);
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(text, index), text);
            Assert.DoesNotContain(sqlite ? "SCAN audit_events" : "Seq Scan on audit_events", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrate_StaffActionSearchIndexes_EveryIndexExistsAsPartialIndexOnStaffActions(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.Factory.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = provider == DatabaseProvider.Sqlite
            ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events'"
            : "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_events'";
        var indexes = new Dictionary<string, string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                indexes[reader.GetString(0)] = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
            }
        }

        foreach (var (name, column) in StaffActionFilterSql.Indexes)
        {
            Assert.True(indexes.TryGetValue(name, out var definition), name);
            Assert.Contains(column, definition, StringComparison.Ordinal);
            Assert.Matches(@"WHERE \(?stream = 1\)?", definition);
        }

        Assert.True(indexes.ContainsKey(StaffActionFilterSql.TimeIndex));
    }
}
