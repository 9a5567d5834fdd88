namespace Ttp.Domain.Audit;

/// <summary>
/// What an auditor searches staff actions by; every field optional, all given fields must match exactly (the actor is a
/// staff member's id, e.g. <c>staff:alice@ttp.example</c>; the subject e.g. <c>tsm:acme</c>). <see cref="From"/> is
/// inclusive, <see cref="To"/> exclusive.
/// </summary>
public sealed record StaffActionFilter(
    string? Actor = null,
    string? Action = null,
    string? Subject = null,
    string? Outcome = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null)
{
    /// <summary>The filter, checked.</summary>
    /// <exception cref="ArgumentException">A field is malformed; the message and <see cref="ArgumentException.ParamName"/> name it.</exception>
    public StaffActionFilter Validated()
    {
        Text(Actor, nameof(Actor), AuditRecord.MaxActorLength);
        Text(Action, nameof(Action), AuditRecord.MaxActionLength);
        Text(Subject, nameof(Subject), AuditRecord.MaxSubjectLength);
        if (Outcome is not null && (Outcome.Length is 0 or > AuditRecord.MaxOutcomeLength
            || !Outcome.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')))
        {
            throw Invalid(nameof(Outcome), $"1 to {AuditRecord.MaxOutcomeLength} letters, digits, '.', '-' or '_'");
        }

        if (From is { } from && To is { } to && to <= from)
        {
            throw Invalid(nameof(To), "after From");
        }

        return this;
    }

    private static void Text(string? value, string field, int max)
    {
        if (value is not null && (value.Length == 0 || value.Length > max || value.Any(char.IsControl)))
        {
            throw Invalid(field, $"1 to {max} characters, no control character");
        }
    }

    private static ArgumentException Invalid(string field, string expected) =>
        new($"{field}: expected {expected}.", field);
}

/// <summary>One staff action as a search result (its Details are read with <see cref="AuditRecordLookup"/>).</summary>
public sealed record StaffActionRow(
    long Sequence,
    DateTimeOffset OccurredAt,
    string Actor,
    string Action,
    string Subject,
    string Outcome,
    byte[] Hash);

/// <summary>
/// A page of staff actions in the order asked for; <see cref="Next"/> is the keyset cursor of the next page (null: no
/// more): the last sequence of this page, to go below (newest first) or above (oldest first).
/// </summary>
public sealed record StaffActionPage(IReadOnlyList<StaffActionRow> Rows, long? Next);
