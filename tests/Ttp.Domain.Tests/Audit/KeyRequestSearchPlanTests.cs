using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

public sealed class KeyRequestSearchPlanTests
{
    public static TheoryData<DatabaseProvider, string, string> PlanCases()
    {
        var data = new TheoryData<DatabaseProvider, string, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            data.Add(provider, "tsm-day", "ix_audit_kr_tsm_time");
            data.Add(provider, "kdd", "ix_audit_kr_kdd");
            data.Add(provider, "request-id", "ix_audit_kr_request_id");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PlanCases))]
    public async Task SearchAsync_FirstPageAfterAnalyze_PlanUsesSearchIndexWithoutFullScan(DatabaseProvider provider, string search, string index)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var samples = await KeyRequestSearchData.AppendAsync(database, 3000);
        await KeyRequestSearchData.AnalyzeAsync(database);
        var day = KeyRequestSearchData.Start.AddDays(3);
        var filter = search switch
        {
            "tsm-day" => new KeyRequestFilter(Tsm: "acme", From: day, To: day.AddDays(1)),
            "kdd" => new KeyRequestFilter(Kdd: samples[7].Kdd),
            _ => new KeyRequestFilter(RequestId: samples[1234].RequestId),
        };

        await using var db = database.Factory.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        var sqlite = provider == DatabaseProvider.Sqlite;
        command.CommandText = (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + KeyRequestSearch.BuildSql(filter.Validated(), sqlite, 51, null, command);
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(Convert.ToString(reader.GetValue(reader.FieldCount - 1), System.Globalization.CultureInfo.InvariantCulture)!);
            }
        }

        var text = string.Join("\n", plan);
        Assert.Contains(index, text, StringComparison.Ordinal);
        Assert.DoesNotContain(sqlite ? "SCAN audit_events" : "Seq Scan on audit_events", text, StringComparison.Ordinal);
        if (sqlite)
        {
            // "SCAN audit_events USING INDEX" would also be a full walk; only SEARCH is acceptable.
            Assert.DoesNotContain("SCAN audit_events USING", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task KeyRequestsPerHourAndPerDay_Aggregated_EqualCountsDoneInTest(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var samples = await KeyRequestSearchData.AppendAsync(database, 600);
        var now = KeyRequestSearchData.Start.AddHours(40).AddMinutes(13);
        var queries = new AuditQueries(database.Factory, new FakeTimeProvider(now));

        var hours = await queries.KeyRequestsPerHourAsync(24);
        // UTC clock hours: the last one is the current hour (here 40:00 to 41:00 after the start).
        var end = KeyRequestSearchData.Start.AddHours(41);
        var since = end.AddHours(-24);
        Assert.Equal(24, hours.Count);
        var expectedHours = samples.Where(s => s.At >= since && s.At < end)
            .GroupBy(s => (int)((s.At - since).Ticks / TimeSpan.TicksPerHour))
            .ToDictionary(g => g.Key, g => (g.Count(s => s.Outcome == "ok"), g.Count(s => s.Outcome != "ok")));
        for (var i = 0; i < 24; i++)
        {
            Assert.Equal(since.AddHours(i + 1), hours[i].HourEnding);
            Assert.Equal(expectedHours.GetValueOrDefault(i), (hours[i].Answered, hours[i].Refused));
        }

        Assert.Equal(samples.Count(s => s.At >= since && s.At < end), hours.Sum(h => h.Answered + h.Refused));

        var from = KeyRequestSearchData.Start.AddHours(1);
        var to = from.AddDays(2);
        var days = await queries.KeyRequestsPerDayAsync(from, to);
        var expected = samples.Where(s => s.At >= from && s.At < to)
            .GroupBy(s => (DateOnly.FromDateTime(s.At.UtcDateTime), s.Tsm ?? string.Empty))
            .OrderBy(g => g.Key.Item1).ThenBy(g => g.Key.Item2, StringComparer.Ordinal)
            .Select(g => new KeyRequestDay(g.Key.Item1, g.Key.Item2, g.Count(s => s.Outcome == "ok"), g.Count(s => s.Outcome != "ok")))
            .ToList();
        Assert.True(expected.Count >= 6);
        Assert.Equal(expected, days);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrate_AuditSearchIndexes_EveryIndexExistsAsPartialIndex(DatabaseProvider provider)
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

        foreach (var name in AuditSearchIndexSql.Indexes.Select(i => i.Name).Append(AuditSearchIndexSql.OutcomeIndex))
        {
            Assert.True(indexes.TryGetValue(name, out var definition), name);
            Assert.Contains("key-request", definition, StringComparison.Ordinal);
        }
    }
}
