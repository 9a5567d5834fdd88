using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Ttp.Domain.Audit;
using Ttp.Portal.Audit;

namespace Ttp.Portal.Tests.Audit;

public sealed class AuditFilterQueryTests
{
    [Fact]
    public void FormatThenParse_EveryKeyRequestField_RoundTrips()
    {
        var filter = new KeyRequestFilter(Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), "acme & co", "A0000001", "0011AABB", 2, 1, "ScopeDenied",
            new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 7, 12, 30, 5, TimeSpan.Zero));

        var query = AuditFilterQuery.Format(filter);

        Assert.Equal("requestId=3f2504e0-4f89-11d3-9a0c-0305e82c3301&tsm=acme%20%26%20co&iin=A0000001&kdd=0011AABB&kvn=2&kekIndex=1"
            + "&outcome=ScopeDenied&from=2026-12-06T00:00:00Z&to=2026-12-07T12:30:05Z", query);
        Assert.Equal(filter, AuditFilterQuery.ParseKeyRequests(new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query))));
        Assert.Equal(string.Empty, AuditFilterQuery.Format(new KeyRequestFilter()));
    }

    [Fact]
    public void FormatThenParse_EveryStaffActionField_RoundTrips()
    {
        var filter = new StaffActionFilter("user:alice@ttp.example", "tsm.approved", "tsm:acme", "ok",
            new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 0, 0, 0, 500, TimeSpan.Zero));

        var query = AuditFilterQuery.Format(filter);

        Assert.Equal(filter, AuditFilterQuery.ParseStaffActions(new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query))));
        Assert.Contains("to=2026-12-06T00:00:00.5Z", query, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseKeyRequests_DateOnlyAndLowerCaseHex_MidnightUtcAndUpperCase()
    {
        var filter = AuditFilterQuery.ParseKeyRequests(new Dictionary<string, string?> { ["from"] = "2026-12-06", ["iin"] = "a0000001", ["tsm"] = " ", ["kvn"] = "" });

        Assert.Equal(new KeyRequestFilter(Iin: "A0000001", From: new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero)), filter);
    }

    [Theory]
    [InlineData("requestId", "42")]
    [InlineData("kvn", "256")]
    [InlineData("kvn", "-1")]
    [InlineData("kekIndex", "1e3")]
    [InlineData("iin", "XYZ")]
    [InlineData("kdd", "123")]
    [InlineData("outcome", "ok;drop")]
    [InlineData("from", "06/12/2026")]
    [InlineData("to", "yesterday")]
    public void ParseKeyRequests_MalformedValue_RefusedNamingTheQueryField(string name, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => AuditFilterQuery.ParseKeyRequests(new QueryCollection(new Dictionary<string, StringValues> { [name] = value })));

        Assert.Equal(name, error.ParamName);
        Assert.StartsWith(name + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseStaffActions_SeveralMalformedAndToBeforeFrom_OneMessagePerField()
    {
        var ok = AuditFilterQuery.TryParseStaffActions(
            new Dictionary<string, string?> { ["actor"] = new string('a', 201), ["outcome"] = "no way", ["from"] = "soon" }, out var filter, out var errors);

        Assert.False(ok);
        Assert.Null(filter);
        Assert.Equal(["actor", "from", "outcome"], errors.Keys.Order(StringComparer.Ordinal));

        Assert.False(AuditFilterQuery.TryParseStaffActions(
            new Dictionary<string, string?> { ["from"] = "2026-12-06", ["to"] = "2026-12-05" }, out _, out errors));
        Assert.Equal("Expected after From.", errors["to"]);
    }
}
