using System.Globalization;

namespace Ttp.Domain.Audit;

/// <summary>
/// What an auditor searches key requests by; every field optional, all given fields must match. Hex fields are compared
/// in upper case (as recorded); <see cref="From"/> is inclusive, <see cref="To"/> exclusive.
/// </summary>
public sealed record KeyRequestFilter(
    Guid? RequestId = null,
    string? Tsm = null,
    string? Iin = null,
    string? Kdd = null,
    int? Kvn = null,
    int? KekIndex = null,
    string? Outcome = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null)
{
    /// <summary>The filter with hex fields in upper case.</summary>
    /// <exception cref="ArgumentException">A field is malformed; the message and <see cref="ArgumentException.ParamName"/> name it.</exception>
    public KeyRequestFilter Validated()
    {
        if (Tsm is not null && (Tsm.Length is 0 or > AuditRecord.MaxActorLength || Tsm.Any(char.IsControl)))
        {
            throw Invalid(nameof(Tsm), $"1 to {AuditRecord.MaxActorLength} characters, no control character");
        }

        var iin = Hex(Iin, nameof(Iin), 2, 32);
        var kdd = Hex(Kdd, nameof(Kdd), 2, 64);
        if (Kvn is < 0 or > 255)
        {
            throw Invalid(nameof(Kvn), "0 to 255");
        }

        if (KekIndex is < 0 or > 255)
        {
            throw Invalid(nameof(KekIndex), "0 to 255");
        }

        if (Outcome is not null && (Outcome.Length is 0 or > AuditRecord.MaxOutcomeLength
            || !Outcome.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')))
        {
            throw Invalid(nameof(Outcome), $"1 to {AuditRecord.MaxOutcomeLength} letters, digits, '.', '-' or '_'");
        }

        if (From is { } from && To is { } to && to <= from)
        {
            throw Invalid(nameof(To), "after From");
        }

        return this with { Iin = iin, Kdd = kdd };
    }

    private static string? Hex(string? value, string field, int min, int max)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length < min || value.Length > max || value.Length % 2 != 0 || !value.All(char.IsAsciiHexDigit))
        {
            throw Invalid(field, string.Create(CultureInfo.InvariantCulture, $"hexadecimal, an even number of digits, {min} to {max}"));
        }

        return value.ToUpperInvariant();
    }

    private static ArgumentException Invalid(string field, string expected) =>
        new($"{field}: expected {expected}.", field);
}

/// <summary>One key-request record as a search result (fields from its Details; null when the request never got that far).</summary>
public sealed record KeyRequestRow(
    long Sequence,
    DateTimeOffset OccurredAt,
    Guid? RequestId,
    string? Tsm,
    string? Iin,
    string? Kdd,
    int? Kvn,
    int? KekIndex,
    string Outcome,
    long? LatencyMicroseconds,
    byte[] Hash);

/// <summary>
/// A page of results in the order asked for (newest first by default); <see cref="NextBefore"/> is the keyset cursor of
/// the next page (null: no more): the last sequence of this page, to go below (newest first) or above (oldest first).
/// </summary>
public sealed record KeyRequestPage(IReadOnlyList<KeyRequestRow> Rows, long? NextBefore);
