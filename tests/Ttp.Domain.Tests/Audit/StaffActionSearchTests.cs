using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

public sealed class StaffActionSearchTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SearchAsync_EachFilter_ReturnsExactlyTheMatchingStaffActionsInBothOrders(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var samples = await StaffActionSearchData.AppendAsync(database, 120);
        var search = new StaffActionSearch(database.Factory);
        var day = StaffActionSearchData.Start.AddHours(2);
        var bob = Actor.Staff("bob@ttp.example").Id;
        var cases = new (StaffActionFilter Filter, Func<StaffActionSample, bool> Match)[]
        {
            (new(Actor: bob), s => s.Actor == bob),
            (new(Action: "kek.imported"), s => s.Action == "kek.imported"),
            (new(Subject: "tsm:tsm-7"), s => s.Subject == "tsm:tsm-7"),
            (new(Outcome: "Refused"), s => s.Outcome == "Refused"),
            (new(From: day, To: day.AddHours(3)), s => s.At >= day && s.At < day.AddHours(3)),
            (new(Actor: bob, Outcome: "ok", From: day), s => s.Actor == bob && s.Outcome == "ok" && s.At >= day),
            (new(), _ => true),
        };

        foreach (var (filter, match) in cases)
        {
            var expected = samples.Where(match).ToList();
            Assert.NotEmpty(expected);
            var newest = await search.SearchAsync(filter, AuditOrder.NewestFirst, StaffActionSearch.MaxPageSize);
            Assert.Equal(expected.Select(s => s.Sequence).OrderDescending(), newest.Rows.Select(r => r.Sequence));
            Assert.Null(newest.Next);
            var oldest = await search.SearchAsync(filter, AuditOrder.OldestFirst, StaffActionSearch.MaxPageSize);
            Assert.Equal(expected.Select(s => s.Sequence), oldest.Rows.Select(r => r.Sequence));
            foreach (var (row, sample) in oldest.Rows.Zip(expected))
            {
                Assert.Equal((sample.Actor, sample.Action, sample.Subject, sample.Outcome, sample.At),
                    (row.Actor, row.Action, row.Subject, row.Outcome, row.OccurredAt));
                Assert.Equal(32, row.Hash.Length);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SearchAsync_PagedByCursorBothWays_CompleteOrderedWithoutDuplicates(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var samples = await StaffActionSearchData.AppendAsync(database, 100);
        var search = new StaffActionSearch(database.Factory);
        var filter = new StaffActionFilter(Outcome: "ok");
        var expected = samples.Where(s => s.Outcome == "ok").Select(s => s.Sequence).ToList();
        foreach (var order in new[] { AuditOrder.NewestFirst, AuditOrder.OldestFirst })
        {
            var seen = new List<long>();
            long? cursor = null;
            var pages = 0;
            do
            {
                var page = await search.SearchAsync(filter, order, 7, cursor);
                Assert.InRange(page.Rows.Count, 1, 7);
                seen.AddRange(page.Rows.Select(r => r.Sequence));
                cursor = page.Next;
                pages++;
            }
            while (cursor is not null);

            Assert.Equal(order == AuditOrder.NewestFirst ? expected.OrderDescending() : expected, seen);
            Assert.Equal((expected.Count + 6) / 7, pages);
        }
    }

    [Theory]
    [InlineData("Actor", "")]
    [InlineData("Actor", "staff:a\nb")]
    [InlineData("Action", "")]
    [InlineData("Subject", "")]
    [InlineData("Outcome", "ok; DROP TABLE audit_events")]
    [InlineData("To", "")]
    [InlineData("pageSize", "")]
    [InlineData("cursor", "")]
    [InlineData("order", "")]
    public async Task SearchAsync_BadInput_RefusedNamingTheField(string field, string value)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var search = new StaffActionSearch(database.Factory);
        var now = StaffActionSearchData.Start;
        var (filter, order, pageSize, cursor) = field switch
        {
            "Actor" => (new StaffActionFilter(Actor: value), AuditOrder.NewestFirst, 10, (long?)null),
            "Action" => (new StaffActionFilter(Action: value), AuditOrder.NewestFirst, 10, null),
            "Subject" => (new StaffActionFilter(Subject: value), AuditOrder.NewestFirst, 10, null),
            "Outcome" => (new StaffActionFilter(Outcome: value), AuditOrder.NewestFirst, 10, null),
            "To" => (new StaffActionFilter(From: now, To: now.AddSeconds(-1)), AuditOrder.NewestFirst, 10, null),
            "pageSize" => (new StaffActionFilter(), AuditOrder.NewestFirst, StaffActionSearch.MaxPageSize + 1, null),
            "order" => (new StaffActionFilter(), (AuditOrder)7, 10, null),
            _ => (new StaffActionFilter(), AuditOrder.OldestFirst, 10, 0L),
        };

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => search.SearchAsync(filter, order, pageSize, cursor));
        Assert.Equal(field, error.ParamName);
        Assert.StartsWith(field + ":", error.Message, StringComparison.Ordinal);
    }
}
