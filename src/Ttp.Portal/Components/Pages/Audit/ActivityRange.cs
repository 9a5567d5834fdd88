using System.Globalization;
using Ttp.Domain.Audit;

namespace Ttp.Portal.Components.Pages.Audit;

/// <summary>
/// The activity page's range, from its URL query: <c>range=24h</c> (default; per hour), <c>7d</c> or <c>30d</c> (per
/// day, whole UTC days ending today), or <c>custom</c> with <c>from</c> and <c>to</c> (UTC, <c>yyyy-MM-dd</c> or
/// <c>yyyy-MM-dd HH:mm</c>; per hour up to 2 days, else per day). Invalid input gives a message naming the field.
/// </summary>
internal sealed record ActivityRange(string Name, DateTimeOffset From, DateTimeOffset To, ActivityGranularity Granularity)
{
    public const string Last24Hours = "24h";
    public const string Last7Days = "7d";
    public const string Last30Days = "30d";
    public const string Custom = "custom";

    /// <summary>The format of <c>from</c> and <c>to</c> in the URL and the fields.</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm";

    private static readonly string[] Formats = ["yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-dd"];

    /// <summary>The range of the query at <paramref name="now"/>, or the message naming the invalid field.</summary>
    public static (ActivityRange? Range, string? Error) Parse(string? range, string? from, string? to, DateTimeOffset now)
    {
        var hourEnd = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero).AddHours(1);
        var dayEnd = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        switch (string.IsNullOrWhiteSpace(range) ? Last24Hours : range.Trim())
        {
            case Last24Hours:
                return (new ActivityRange(Last24Hours, hourEnd.AddHours(-24), hourEnd, ActivityGranularity.Hour), null);
            case Last7Days:
                return (new ActivityRange(Last7Days, dayEnd.AddDays(-7), dayEnd, ActivityGranularity.Day), null);
            case Last30Days:
                return (new ActivityRange(Last30Days, dayEnd.AddDays(-30), dayEnd, ActivityGranularity.Day), null);
            case Custom:
                break;
            default:
                return (null, "range: expected 24h, 7d, 30d or custom.");
        }

        if (!TryTime(from, out var start))
        {
            return (null, $"from: expected a UTC time as {TimeFormat} (or yyyy-MM-dd).");
        }

        if (!TryTime(to, out var end))
        {
            return (null, $"to: expected a UTC time as {TimeFormat} (or yyyy-MM-dd).");
        }

        if (end <= start)
        {
            return (null, "to: expected after from.");
        }

        if (end - start > KeyRequestStatistics.MaxRange)
        {
            return (null, $"to: the range is limited to {KeyRequestStatistics.MaxRange.TotalDays:N0} days.");
        }

        return (new ActivityRange(Custom, start, end, end - start <= TimeSpan.FromDays(2) ? ActivityGranularity.Hour : ActivityGranularity.Day), null);
    }

    /// <summary>A time in the URL's format.</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static bool TryTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text?.Trim(), Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
