using System.Data.Common;
using System.Globalization;
using System.Text;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// The SQL condition of a validated <see cref="KeyRequestFilter"/>, shared by the search (<see cref="KeyRequestSearch"/>)
/// and the exports (<see cref="AuditSelection"/>): the predicate and the expressions of the partial indexes of
/// <see cref="AuditSearchIndexSql"/>, so that both planners use them; every value is a parameter.
/// </summary>
internal static class KeyRequestFilterSql
{
    /// <summary>A Details field as the indexes read it on the provider.</summary>
    public static string Field(string name, bool sqlite) => sqlite ? AuditSearchIndexSql.SqliteField(name) : AuditSearchIndexSql.PostgresField(name);

    /// <summary>
    /// Appends the condition of <paramref name="valid"/> (the key-request predicate, then <c>AND</c> one comparison per
    /// given field) to <paramref name="sql"/>, and its values as parameters of <paramref name="command"/>.
    /// </summary>
    public static void AppendCondition(StringBuilder sql, KeyRequestFilter valid, bool sqlite, DbCommand command)
    {
        sql.Append(AuditSearchIndexSql.KeyRequestPredicate);
        void Condition(string expression, string op, string name, object value) => AppendComparison(sql, command, expression, op, name, value);

        // On PostgreSQL the field expressions yield text: numbers and GUIDs are compared in their JSON text form.
        if (valid.RequestId is { } requestId)
        {
            Condition(Field("requestId", sqlite), "=", "request_id", requestId.ToString("D"));
        }

        if (valid.Tsm is { } tsm)
        {
            Condition(Field("tsm", sqlite), "=", "tsm", tsm);
        }

        if (valid.Iin is { } iin)
        {
            Condition(Field("iin", sqlite), "=", "iin", iin);
        }

        if (valid.Kdd is { } kdd)
        {
            Condition(Field("kdd", sqlite), "=", "kdd", kdd);
        }

        if (valid.Kvn is { } kvn)
        {
            Condition(Field("kvn", sqlite), "=", "kvn", sqlite ? kvn : kvn.ToString(CultureInfo.InvariantCulture));
        }

        if (valid.KekIndex is { } kekIndex)
        {
            Condition(Field("kekIndex", sqlite), "=", "kek_index", sqlite ? kekIndex : kekIndex.ToString(CultureInfo.InvariantCulture));
        }

        if (valid.Outcome is { } outcome)
        {
            Condition("outcome", "=", "outcome", outcome);
        }

        if (valid.From is { } from)
        {
            Condition("occurred_at", ">=", "from", KeyRequestSearch.Time(from, sqlite));
        }

        if (valid.To is { } to)
        {
            Condition("occurred_at", "<", "to", KeyRequestSearch.Time(to, sqlite));
        }
    }

    /// <summary>Appends <c> AND expression op @name</c> and the parameter <c>@name</c>.</summary>
    public static void AppendComparison(StringBuilder sql, DbCommand command, string expression, string op, string name, object value)
    {
        sql.Append(" AND ").Append(expression).Append(' ').Append(op).Append(" @").Append(name);
        AuditRows.AddParameter(command, "@" + name, value);
    }
}
