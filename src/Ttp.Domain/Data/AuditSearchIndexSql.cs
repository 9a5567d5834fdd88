namespace Ttp.Domain.Data;

/// <summary>
/// The expression indexes that make key-request records searchable (migrations <c>AuditSearchIndexes</c>, then <c>AuditSearchByTime</c>): partial
/// indexes over fields of the Details JSON, restricted to key-request rows. They are outside the EF model (EF cannot
/// express an index on a JSON expression for both providers); <see cref="Audit.KeyRequestSearch"/> queries with exactly
/// these expressions so that the planners use them. Nothing changes in what is written or hashed.
/// </summary>
internal static class AuditSearchIndexSql
{
    /// <summary>The partial-index predicate; queries repeat it literally (SQLite only uses a partial index then).</summary>
    public const string KeyRequestPredicate = "action = 'key-request'";

    /// <summary>
    /// Index name, JSON field, and the trailing columns, as migration <c>AuditSearchByTime</c> leaves them (on SQLite the
    /// sequence is the rowid, which every index ends with): pages are in time order, so each index after its field holds
    /// the time, then the sequence.
    /// </summary>
    public static readonly (string Name, string Field, string Then)[] Indexes =
    [
        ("ix_audit_kr_request_id", "requestId", "sequence"),
        ("ix_audit_kr_tsm_time", "tsm", "occurred_at, sequence"),
        ("ix_audit_kr_iin", "iin", "occurred_at, sequence"),
        ("ix_audit_kr_kdd", "kdd", "occurred_at, sequence"),
        ("ix_audit_kr_kvn", "kvn", "occurred_at, sequence"),
        ("ix_audit_kr_kek_index", "kekIndex", "occurred_at, sequence"),
    ];

    /// <summary>The outcome is a column: a partial index (outcome, time, sequence) over key-request rows.</summary>
    public const string OutcomeIndex = "ix_audit_kr_outcome_time";

    /// <summary>SQLite's expression for a Details field; null when details is not JSON (a row changed by hand must stay
    /// writable, so that tampering can be simulated and is then found by the verifier, not refused by an index).</summary>
    public static string SqliteField(string field) => $"(CASE WHEN json_valid(details) THEN json_extract(details, '$.{field}') END)";

    /// <summary>
    /// PostgreSQL's expression for a Details field: an immutable regular expression over the compact JSON the product
    /// writes (<c>"field":"value"</c>, or a number for <c>kvn</c>, <c>kekIndex</c> and <c>latencyMicroseconds</c>); null when absent or null. Not a json
    /// cast: a cast fails on text that is not JSON, so the insert would fail, and guarding it costs a subtransaction per row.
    /// </summary>
    public static string PostgresField(string field) => field is "kvn" or "kekIndex" or "latencyMicroseconds"
        ? $"substring(details from '\"{field}\":(-?[0-9]+)')"
        : $"substring(details from '\"{field}\":\"([^\"]*)\"')";
}
