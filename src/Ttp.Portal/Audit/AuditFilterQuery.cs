using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Ttp.Domain.Audit;

namespace Ttp.Portal.Audit;

/// <summary>
/// The one place where the audit search filters are read from and written to a URL query string (the search pages and
/// the export endpoints). Key requests: <c>requestId, tsm, iin, kdd, kvn, kekIndex, outcome, from, to</c>; staff actions:
/// <c>actor, action, subject, outcome, from, to</c>; times in ISO 8601 UTC (<c>2026-12-06T00:00:00Z</c>; a date alone is
/// midnight UTC). An empty value is no filter. A malformed value is an <see cref="ArgumentException"/> whose
/// <see cref="ArgumentException.ParamName"/> is the query name, with a message fit to show (never the value's echo beyond
/// what was typed).
/// </summary>
public static class AuditFilterQuery
{
    /// <summary>The query names of a key-request filter, in URL order.</summary>
    public static readonly IReadOnlyList<string> KeyRequestNames = ["requestId", "tsm", "iin", "kdd", "kvn", "kekIndex", "outcome", "from", "to"];

    /// <summary>The query names of a staff-action filter, in URL order.</summary>
    public static readonly IReadOnlyList<string> StaffActionNames = ["actor", "action", "subject", "outcome", "from", "to"];

    /// <summary>The key-request filter of <paramref name="query"/>, validated.</summary>
    /// <exception cref="ArgumentException">A value is malformed; ParamName is its query name.</exception>
    public static KeyRequestFilter ParseKeyRequests(IQueryCollection query) => ParseKeyRequests(ToDictionary(query));

    /// <inheritdoc cref="ParseKeyRequests(IQueryCollection)"/>
    public static KeyRequestFilter ParseKeyRequests(IReadOnlyDictionary<string, string?> query) =>
        TryParseKeyRequests(query, out var filter, out var errors) ? filter! : throw First(errors);

    /// <summary>The staff-action filter of <paramref name="query"/>, validated.</summary>
    /// <exception cref="ArgumentException">A value is malformed; ParamName is its query name.</exception>
    public static StaffActionFilter ParseStaffActions(IQueryCollection query) => ParseStaffActions(ToDictionary(query));

    /// <inheritdoc cref="ParseStaffActions(IQueryCollection)"/>
    public static StaffActionFilter ParseStaffActions(IReadOnlyDictionary<string, string?> query) =>
        TryParseStaffActions(query, out var filter, out var errors) ? filter! : throw First(errors);

    /// <summary>Reads every field of a key-request filter; <paramref name="errors"/> maps each malformed query name to its message.</summary>
    public static bool TryParseKeyRequests(IReadOnlyDictionary<string, string?> query, out KeyRequestFilter? filter, out IReadOnlyDictionary<string, string> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        var reader = new Reader(query);
        var requestId = reader.Read("requestId", v => Guid.TryParseExact(v, "D", out var g) ? (Guid?)g : throw new FormatException("Expected a request id like 3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
        var tsm = reader.Read("tsm", v => v);
        var iin = reader.Read("iin", v => v);
        var kdd = reader.Read("kdd", v => v);
        var kvn = reader.Read("kvn", v => (int?)Integer(v));
        var kekIndex = reader.Read("kekIndex", v => (int?)Integer(v));
        var outcome = reader.Read("outcome", v => v);
        var from = reader.Read("from", v => (DateTimeOffset?)Time(v));
        var to = reader.Read("to", v => (DateTimeOffset?)Time(v));
        // Each field checked alone, so that every malformed field gets its message; then the whole (From before To).
        reader.Check("tsm", () => new KeyRequestFilter(Tsm: tsm).Validated());
        reader.Check("iin", () => new KeyRequestFilter(Iin: iin).Validated());
        reader.Check("kdd", () => new KeyRequestFilter(Kdd: kdd).Validated());
        reader.Check("kvn", () => new KeyRequestFilter(Kvn: kvn).Validated());
        reader.Check("kekIndex", () => new KeyRequestFilter(KekIndex: kekIndex).Validated());
        reader.Check("outcome", () => new KeyRequestFilter(Outcome: outcome).Validated());
        KeyRequestFilter? valid = null;
        if (reader.Errors.Count == 0)
        {
            reader.Check("to", () => valid = new KeyRequestFilter(requestId, tsm, iin, kdd, kvn, kekIndex, outcome, from, to).Validated());
        }

        filter = reader.Errors.Count == 0 ? valid : null;
        errors = reader.Errors;
        return filter is not null;
    }

    /// <summary>Reads every field of a staff-action filter; <paramref name="errors"/> maps each malformed query name to its message.</summary>
    public static bool TryParseStaffActions(IReadOnlyDictionary<string, string?> query, out StaffActionFilter? filter, out IReadOnlyDictionary<string, string> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        var reader = new Reader(query);
        var actor = reader.Read("actor", v => v);
        var action = reader.Read("action", v => v);
        var subject = reader.Read("subject", v => v);
        var outcome = reader.Read("outcome", v => v);
        var from = reader.Read("from", v => (DateTimeOffset?)Time(v));
        var to = reader.Read("to", v => (DateTimeOffset?)Time(v));
        reader.Check("actor", () => new StaffActionFilter(Actor: actor).Validated());
        reader.Check("action", () => new StaffActionFilter(Action: action).Validated());
        reader.Check("subject", () => new StaffActionFilter(Subject: subject).Validated());
        reader.Check("outcome", () => new StaffActionFilter(Outcome: outcome).Validated());
        StaffActionFilter? valid = null;
        if (reader.Errors.Count == 0)
        {
            reader.Check("to", () => valid = new StaffActionFilter(actor, action, subject, outcome, from, to).Validated());
        }

        filter = reader.Errors.Count == 0 ? valid : null;
        errors = reader.Errors;
        return filter is not null;
    }

    /// <summary>The query string of <paramref name="filter"/> without a leading '?' (empty for no filter), fields in URL order.</summary>
    public static string Format(KeyRequestFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Join(
            ("requestId", filter.RequestId?.ToString("D")),
            ("tsm", filter.Tsm),
            ("iin", filter.Iin),
            ("kdd", filter.Kdd),
            ("kvn", filter.Kvn?.ToString(CultureInfo.InvariantCulture)),
            ("kekIndex", filter.KekIndex?.ToString(CultureInfo.InvariantCulture)),
            ("outcome", filter.Outcome),
            ("from", FormatTime(filter.From)),
            ("to", FormatTime(filter.To)));
    }

    /// <inheritdoc cref="Format(KeyRequestFilter)"/>
    public static string Format(StaffActionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Join(
            ("actor", filter.Actor),
            ("action", filter.Action),
            ("subject", filter.Subject),
            ("outcome", filter.Outcome),
            ("from", FormatTime(filter.From)),
            ("to", FormatTime(filter.To)));
    }

    /// <summary>A time as the query strings write it: ISO 8601 UTC, seconds (fractions only when present).</summary>
    public static string? FormatTime(DateTimeOffset? value) => value?.ToUniversalTime()
        .ToString(value.Value.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>The values of a query collection (the first of repeated names); names compared without case.</summary>
    public static IReadOnlyDictionary<string, string?> ToDictionary(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in query)
        {
            values[name] = StringValues.IsNullOrEmpty(value) ? null : value[0];
        }

        return values;
    }

    private static string Join(params (string Name, string? Value)[] fields)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            if (value is null)
            {
                continue;
            }

            // ':' and '@' are legal in a query: times and actors stay readable (2026-12-06T00:00:00Z, user:alice@ttp.example).
            var escaped = Uri.EscapeDataString(value).Replace("%3A", ":", StringComparison.Ordinal).Replace("%40", "@", StringComparison.Ordinal);
            text.Append(text.Length == 0 ? string.Empty : "&").Append(name).Append('=').Append(escaped);
        }

        return text.ToString();
    }

    private static int Integer(string value) =>
        value.Length <= 3 && value.All(char.IsAsciiDigit) ? int.Parse(value, CultureInfo.InvariantCulture) : throw new FormatException("Expected 0 to 255");

    private static DateTimeOffset Time(string value)
    {
        // ISO 8601 only (a year first), so that no culture's day/month order is guessed; no offset means UTC.
        if (value.Length >= 10 && value[4] == '-' && value[7] == '-' && char.IsAsciiDigit(value[0])
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        throw new FormatException("Expected an ISO 8601 UTC time like 2026-12-06T00:00:00Z");
    }

    /// <summary>The message of <paramref name="e"/> without the " (Parameter 'x')" that .NET appends: fit to show.</summary>
    public static string MessageOf(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.ParamName is { } param ? e.Message.Replace($" (Parameter '{param}')", string.Empty, StringComparison.Ordinal) : e.Message;
    }

    private static ArgumentException First(IReadOnlyDictionary<string, string> errors)
    {
        var (name, message) = errors.First();
        return new ArgumentException($"{name}: {message}", name);
    }

    /// <summary>Reads query values, collecting one message per malformed query name.</summary>
    private sealed class Reader(IReadOnlyDictionary<string, string?> query)
    {
        public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

        public T? Read<T>(string name, Func<string, T> parse)
        {
            var value = Value(name);
            if (value is null)
            {
                return default;
            }

            try
            {
                return parse(value);
            }
            catch (FormatException e)
            {
                Errors[name] = e.Message + ".";
                return default;
            }
        }

        public void Check(string name, Action validate)
        {
            if (Errors.ContainsKey(name))
            {
                return;
            }

            try
            {
                validate();
            }
            catch (ArgumentException e)
            {
                // The domain names the property (Iin: expected ...); the page names the query field.
                // ArgumentException.Message ends with " (Parameter 'X')": the field shows the message alone.
                var message = MessageOf(e);
                var colon = message.IndexOf(": ", StringComparison.Ordinal);
                var text = colon >= 0 ? message[(colon + 2)..] : message;
                Errors[name] = text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
            }
        }

        private string? Value(string name)
        {
            if (!query.TryGetValue(name, out var value))
            {
                value = query.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            }

            value = value?.Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }
    }
}
