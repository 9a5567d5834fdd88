using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Audit;

public sealed class KeyRequestSearchTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SearchAsync_EachFilter_ReturnsExactlyTheMatchingRecordsNewestFirst(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var samples = await KeyRequestSearchData.AppendAsync(database, 120);
        var search = new KeyRequestSearch(database.Factory);
        var day = KeyRequestSearchData.Start.AddHours(2);
        var cases = new (KeyRequestFilter Filter, Func<KeyRequestSample, bool> Match)[]
        {
            (new(RequestId: samples[17].RequestId), s => s.RequestId == samples[17].RequestId),
            (new(Tsm: "globex"), s => s.Tsm == "globex"),
            (new(Tsm: "acme", From: day, To: day.AddDays(1)), s => s.Tsm == "acme" && s.At >= day && s.At < day.AddDays(1)),
            (new(Iin: "a0000002"), s => s.Iin == "A0000002"),
            (new(Kdd: samples[5].Kdd), s => s.Kdd == samples[5].Kdd),
            (new(Kvn: 2), s => s.Kvn == 2),
            (new(KekIndex: 1), s => s.KekIndex == 1),
            (new(Outcome: "ScopeDenied", From: day), s => s.Outcome == "ScopeDenied" && s.At >= day),
            (new(From: day, To: day.AddHours(3)), s => s.At >= day && s.At < day.AddHours(3)),
            (new(Tsm: "initech", Kvn: 3, Outcome: "ok"), s => s.Tsm == "initech" && s.Kvn == 3 && s.Outcome == "ok"),
            (new(), _ => true),
        };

        foreach (var (filter, match) in cases)
        {
            var page = await search.SearchAsync(filter, KeyRequestSearch.MaxPageSize);
            var expected = samples.Where(match).OrderByDescending(s => s.Sequence).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Select(s => s.Sequence), page.Rows.Select(r => r.Sequence));
            Assert.Null(page.NextBefore);
            foreach (var (row, sample) in page.Rows.Zip(expected))
            {
                Assert.Equal((sample.RequestId, sample.Tsm, sample.Iin, sample.Kdd, sample.Kvn, sample.KekIndex, sample.Outcome, sample.At),
                    (row.RequestId, row.Tsm, row.Iin, row.Kdd, row.Kvn, row.KekIndex, row.Outcome, row.OccurredAt));
                Assert.Equal(32, row.Hash.Length);
                Assert.NotNull(row.LatencyMicroseconds);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SearchAsync_PagedByCursor_CompleteOrderedWithoutDuplicates(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var samples = await KeyRequestSearchData.AppendAsync(database, 100);
        var search = new KeyRequestSearch(database.Factory);
        var seen = new List<long>();
        long? before = null;
        var pages = 0;
        do
        {
            var page = await search.SearchAsync(new KeyRequestFilter(Tsm: "acme"), 7, before);
            Assert.InRange(page.Rows.Count, 1, 7);
            seen.AddRange(page.Rows.Select(r => r.Sequence));
            before = page.NextBefore;
            pages++;
        }
        while (before is not null);

        var expected = samples.Where(s => s.Tsm == "acme").Select(s => s.Sequence).OrderDescending().ToList();
        Assert.Equal(expected, seen);
        Assert.Equal((expected.Count + 6) / 7, pages);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task SearchAsync_OldestFirstPagedByCursor_CompleteAscendingWithoutDuplicates(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var samples = await KeyRequestSearchData.AppendAsync(database, 100);
        var search = new KeyRequestSearch(database.Factory);
        var seen = new List<long>();
        long? cursor = null;
        do
        {
            var page = await search.SearchAsync(new KeyRequestFilter(Kvn: 2), AuditOrder.OldestFirst, 6, cursor);
            Assert.InRange(page.Rows.Count, 1, 6);
            seen.AddRange(page.Rows.Select(r => r.Sequence));
            cursor = page.NextBefore;
        }
        while (cursor is not null);

        Assert.Equal(samples.Where(s => s.Kvn == 2).Select(s => s.Sequence).Order(), seen);
    }

    [Theory]
    [InlineData("Iin", "A00G")]
    [InlineData("Iin", "A00")]
    [InlineData("Kdd", "zz")]
    [InlineData("Kdd", "")]
    [InlineData("Tsm", "")]
    [InlineData("Outcome", "ok; DROP TABLE audit_events")]
    [InlineData("Kvn", "256")]
    [InlineData("KekIndex", "-1")]
    [InlineData("To", "")]
    [InlineData("pageSize", "")]
    [InlineData("before", "")]
    public async Task SearchAsync_BadInput_RefusedNamingTheField(string field, string value)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var search = new KeyRequestSearch(database.Factory);
        var now = KeyRequestSearchData.Start;
        var (filter, pageSize, before) = field switch
        {
            "Iin" => (new KeyRequestFilter(Iin: value), 10, (long?)null),
            "Kdd" => (new KeyRequestFilter(Kdd: value), 10, null),
            "Tsm" => (new KeyRequestFilter(Tsm: value), 10, null),
            "Outcome" => (new KeyRequestFilter(Outcome: value), 10, null),
            "Kvn" => (new KeyRequestFilter(Kvn: int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)), 10, null),
            "KekIndex" => (new KeyRequestFilter(KekIndex: int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)), 10, null),
            "To" => (new KeyRequestFilter(From: now, To: now), 10, null),
            "pageSize" => (new KeyRequestFilter(), 0, null),
            _ => (new KeyRequestFilter(), 10, 0L),
        };

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => search.SearchAsync(filter, pageSize, before));
        Assert.Equal(field, error.ParamName);
        Assert.StartsWith(field + ":", error.Message, StringComparison.Ordinal);
    }
}
