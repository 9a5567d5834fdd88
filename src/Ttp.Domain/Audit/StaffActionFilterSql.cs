using System.Data.Common;
using System.Text;

namespace Ttp.Domain.Audit;

/// <summary>
/// The WHERE clause of a staff-action search (shared by <see cref="StaffActionSearch"/> and the exports): the partial-index
/// predicate <see cref="Predicate"/>, repeated literally so that SQLite uses the partial indexes of migration
/// <c>StaffActionSearchIndexes</c> (<see cref="Indexes"/>), and one condition per filter field; every value is a parameter.
/// </summary>
internal static class StaffActionFilterSql
{
    /// <summary>The partial-index predicate (<see cref="AuditStream.StaffAction"/> is 1).</summary>
    public const string Predicate = "stream = 1";

    /// <summary>The time index (created with the table): (stream, occurred_at).</summary>
    public const string TimeIndex = "ix_audit_events_stream_occurred_at";

    /// <summary>Index name and column, as migration <c>StaffActionSearchIndexes</c> creates them: (column, sequence) WHERE stream = 1.</summary>
    public static readonly (string Name, string Column)[] Indexes =
    [
        ("ix_audit_sa_actor", AuditSchema.Actor),
        ("ix_audit_sa_action", AuditSchema.Action),
        ("ix_audit_sa_subject", AuditSchema.Subject),
        ("ix_audit_sa_outcome", AuditSchema.Outcome),
    ];

    /// <summary>Appends the condition <c>stream = 1 AND ...</c> for <paramref name="valid"/> (already validated) and adds its parameters.</summary>
    public static void AppendCondition(StringBuilder sql, StaffActionFilter valid, bool sqlite, DbCommand command)
    {
        sql.Append(Predicate);
        void Condition(string column, string op, string name, object value) => KeyRequestFilterSql.AppendComparison(sql, command, column, op, name, value);

        if (valid.Actor is { } actor)
        {
            Condition(AuditSchema.Actor, "=", "actor", actor);
        }

        if (valid.Action is { } action)
        {
            Condition(AuditSchema.Action, "=", "action", action);
        }

        if (valid.Subject is { } subject)
        {
            Condition(AuditSchema.Subject, "=", "subject", subject);
        }

        if (valid.Outcome is { } outcome)
        {
            Condition(AuditSchema.Outcome, "=", "outcome", outcome);
        }

        if (valid.From is { } from)
        {
            Condition(AuditSchema.OccurredAt, ">=", "from", KeyRequestSearch.Time(from, sqlite));
        }

        if (valid.To is { } to)
        {
            Condition(AuditSchema.OccurredAt, "<", "to", KeyRequestSearch.Time(to, sqlite));
        }
    }
}
