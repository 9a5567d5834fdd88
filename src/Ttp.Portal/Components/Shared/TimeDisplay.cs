using System.Globalization;

namespace Ttp.Portal.Components.Shared;

/// <summary>
/// The portal's one way of writing a moment: UTC, ISO 8601 order, seconds, the zone spelled out, e.g.
/// <c>2026-12-06 10:13:05 UTC</c>. Every page, table, drawer and timeline writes times through <see cref="Format(DateTimeOffset)"/>,
/// and the date pickers use <see cref="DatePattern"/> with <see cref="Culture"/>, so no browser or server culture decides
/// day/month order and no time is shown in a local zone. Durations and relative times ("in 5 min", "3 h ago") are not
/// moments and keep their own wording; machine formats (query strings, exports, logs) keep ISO 8601 with <c>Z</c>.
/// </summary>
public static class TimeDisplay
{
    /// <summary>The pattern of a moment (always in UTC).</summary>
    public const string Pattern = "yyyy-MM-dd HH:mm:ss 'UTC'";

    /// <summary>The pattern of a date picker's text (the day alone; the time is chosen beside it, in UTC).</summary>
    public const string DatePattern = "yyyy-MM-dd";

    /// <summary>What a missing moment reads as.</summary>
    public const string None = "-";

    /// <summary>The culture of every date picker and formatted moment: invariant, so day/month order never varies.</summary>
    public static CultureInfo Culture => CultureInfo.InvariantCulture;

    /// <summary>A moment in UTC, e.g. <c>2026-12-06 10:13:05 UTC</c>.</summary>
    public static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>A moment in UTC, or <see cref="None"/> when there is none.</summary>
    public static string Format(DateTimeOffset? value) => value is { } v ? Format(v) : None;

    /// <summary>
    /// A recorded value as it is shown: an ISO 8601 date-time with a zone (as JSON writes a <see cref="DateTimeOffset"/>,
    /// e.g. <c>2026-12-06T10:13:05+00:00</c>) in the portal's format, anything else unchanged.
    /// </summary>
    public static string Value(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return LooksLikeDateTime(value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var time)
            ? Format(time)
            : value;
    }

    // yyyy-MM-ddTHH:mm:ss, then fractions and a zone (Z or ±hh:mm): only what a serializer writes, never a number or a
    // date someone typed, so that a field that merely contains digits is never rewritten.
    private static bool LooksLikeDateTime(string value) =>
        value.Length >= 20 && value.Length <= 40
        && char.IsAsciiDigit(value[0]) && value[4] == '-' && value[7] == '-' && value[10] == 'T' && value[13] == ':' && value[16] == ':'
        && (value[^1] == 'Z' || (value.Length >= 25 && value[^3] == ':' && value[^6] is '+' or '-'));
}
