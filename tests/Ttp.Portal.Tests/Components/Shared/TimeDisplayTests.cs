using Ttp.Portal.Components.Shared;

namespace Ttp.Portal.Tests.Components.Shared;

/// <summary>The portal's one format of a moment, and the recorded values it rewrites (and those it leaves alone).</summary>
public sealed class TimeDisplayTests
{
    [Fact]
    public void Format_UtcMoment_IsoOrderSecondsAndZoneSpelledOut() =>
        Assert.Equal("2026-12-06 10:13:05 UTC", TimeDisplay.Format(new DateTimeOffset(2026, 12, 6, 10, 13, 5, TimeSpan.Zero)));

    [Fact]
    public void Format_OtherOffset_ConvertedToUtc() =>
        Assert.Equal("2026-12-06 08:13:05 UTC", TimeDisplay.Format(new DateTimeOffset(2026, 12, 6, 10, 13, 5, TimeSpan.FromHours(2))));

    [Fact]
    public void Format_Null_Dash() => Assert.Equal("-", TimeDisplay.Format((DateTimeOffset?)null));

    [Fact]
    public void Pickers_DatePatternAndCulture_DayAfterMonthAfterYear() =>
        Assert.Equal("2026-12-06", new DateTime(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc).ToString(TimeDisplay.DatePattern, TimeDisplay.Culture));

    [Theory]
    [InlineData("2026-12-06T10:13:05+00:00", "2026-12-06 10:13:05 UTC")]
    [InlineData("2026-12-06T11:13:05.1234567+01:00", "2026-12-06 10:13:05 UTC")]
    [InlineData("2026-12-06T10:13:05Z", "2026-12-06 10:13:05 UTC")]
    [InlineData("2026-12-06T10:13:05.123456Z", "2026-12-06 10:13:05 UTC")]
    public void Value_SerializedDateTime_InThePortalFormat(string recorded, string shown) => Assert.Equal(shown, TimeDisplay.Value(recorded));

    [Theory]
    [InlineData("2026-12-06")]
    [InlineData("12/06/2026")]
    [InlineData("20261206101305")]
    [InlineData("A0000001")]
    [InlineData("2026-12-06T10:13:05")]
    [InlineData("a note about 2026-12-06T10:13:05Z and more")]
    [InlineData("")]
    public void Value_NotASerializedMoment_Unchanged(string recorded) => Assert.Equal(recorded, TimeDisplay.Value(recorded));
}
