using System.Globalization;
using Microsoft.Extensions.Primitives;
using Ttp.Domain.Audit;

namespace Ttp.Portal.Audit;

/// <summary>
/// The export endpoints' own reading of a query string into a filter (to be replaced by the pages' shared parser):
/// <c>requestId</c>, <c>tsm</c>, <c>iin</c>, <c>kdd</c>, <c>kvn</c>, <c>kekIndex</c>, <c>outcome</c>, <c>from</c> and
/// <c>to</c> (ISO 8601, UTC or with an offset), and <c>format</c> (<c>csv</c> or <c>jsonl</c>). An empty value is
/// absent; an unknown or repeated parameter, or a malformed value, is an <see cref="ArgumentException"/> naming it.
/// </summary>
internal static class AuditExportQuery
{
    private static readonly string[] KeyRequestParameters = ["format", "requestId", "tsm", "iin", "kdd", "kvn", "kekIndex", "outcome", "from", "to"];

    /// <summary>The export format of <c>format</c>.</summary>
    public static AuditExportFormat Format(IQueryCollection query) => Single(query, "format") switch
    {
        "csv" => AuditExportFormat.Csv,
        "jsonl" => AuditExportFormat.JsonLines,
        _ => throw Invalid("format", "format: expected csv or jsonl."),
    };

    /// <summary>The key-request filter of the query (not yet validated: <see cref="KeyRequestFilter.Validated"/>).</summary>
    public static KeyRequestFilter KeyRequestFilter(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var name in query.Keys)
        {
            if (!KeyRequestParameters.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException($"{name}: not a filter field (expected {string.Join(", ", KeyRequestParameters)}).", name);
            }
        }

        return new KeyRequestFilter(
            RequestId: Single(query, "requestId") is { } id
                ? Guid.TryParse(id, CultureInfo.InvariantCulture, out var guid) ? guid : throw Invalid("requestId", "requestId: expected a GUID.")
                : null,
            Tsm: Single(query, "tsm"),
            Iin: Single(query, "iin"),
            Kdd: Single(query, "kdd"),
            Kvn: Number(query, "kvn"),
            KekIndex: Number(query, "kekIndex"),
            Outcome: Single(query, "outcome"),
            From: Instant(query, "from"),
            To: Instant(query, "to"));
    }

    private static string? Single(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out StringValues values))
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw Invalid(name, $"{name}: given more than once.");
        }

        return string.IsNullOrEmpty(values[0]) ? null : values[0];
    }

    private static int? Number(IQueryCollection query, string name) => Single(query, name) is { } text
        ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid(name, $"{name}: expected a number from 0 to 255.")
        : null;

    private static DateTimeOffset? Instant(IQueryCollection query, string name) => Single(query, name) is { } text
        ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) && text.Contains('T', StringComparison.Ordinal)
            ? value.ToUniversalTime()
            : throw Invalid(name, $"{name}: expected an ISO 8601 instant in UTC (2026-12-06T10:15:00Z).")
        : null;

    // The field's name as ParamName, the message naming it.
    private static ArgumentException Invalid(string field, string message) => new(message, field);
}
