namespace Ttp.Domain.Data;

/// <summary>
/// The expression indexes that make key-request records searchable (migration <c>AuditSearchIndexes</c>): partial
/// indexes over fields of the Details JSON, restricted to key-request rows. They are outside the EF model (EF cannot
/// express an index on a JSON expression for both providers); <see cref="Audit.KeyRequestSearch"/> queries with exactly
/// these expressions so that the planners use them. Nothing changes in what is written or hashed.
/// </summary>
internal static class AuditSearchIndexSql
{
    /// <summary>The partial-index predicate; queries repeat it literally (SQLite only uses a partial index then).</summary>
    public const string KeyRequestPredicate = "action = 'key-request'";

    /// <summary>Index name, JSON field, and the trailing column (order within one value).</summary>
    public static readonly (string Name, string Field, string Then)[] Indexes =
    [
        ("ix_audit_kr_request_id", "requestId", "sequence"),
        ("ix_audit_kr_tsm_time", "tsm", "occurred_at"),
        ("ix_audit_kr_iin", "iin", "sequence"),
        ("ix_audit_kr_kdd", "kdd", "sequence"),
        ("ix_audit_kr_kvn", "kvn", "sequence"),
        ("ix_audit_kr_kek_index", "kekIndex", "sequence"),
    ];

    /// <summary>The outcome is a column: a partial index (outcome, time) over key-request rows.</summary>
    public const string OutcomeIndex = "ix_audit_kr_outcome_time";

    /// <summary>SQLite's expression for a Details field.</summary>
    public static string SqliteField(string field) => $"json_extract(details, '$.{field}')";

    /// <summary>PostgreSQL's expression for a Details field (details is text; json, not jsonb: a cast to jsonb would refuse an escaped NUL and fail the insert).</summary>
    public static string PostgresField(string field) => $"((details::json) ->> '{field}')";

    public static IEnumerable<string> Create(bool sqlite)
    {
        foreach (var (name, field, then) in Indexes)
        {
            var expression = sqlite ? SqliteField(field) : PostgresField(field);
            yield return $"CREATE INDEX {name} ON audit_events ({expression}, {then}) WHERE {KeyRequestPredicate};";
        }

        yield return $"CREATE INDEX {OutcomeIndex} ON audit_events (outcome, occurred_at) WHERE {KeyRequestPredicate};";
    }

    public static IEnumerable<string> Drop()
    {
        foreach (var (name, _, _) in Indexes)
        {
            yield return $"DROP INDEX IF EXISTS {name};";
        }

        yield return $"DROP INDEX IF EXISTS {OutcomeIndex};";
    }
}
