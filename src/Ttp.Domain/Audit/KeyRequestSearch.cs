using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Searches key-request records by the fields of their Details (read only): one page, newest or oldest first, with a keyset
/// cursor on the sequence. The SQL repeats the expressions and the predicate of the partial indexes of
/// <see cref="AuditSearchIndexSql"/> so that both planners use them; every value is a parameter.
/// </summary>
public sealed class KeyRequestSearch(IDbContextFactory<TtpDbContext> factory)
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 500;

    private static readonly string[] Fields = ["requestId", "tsm", "iin", "kdd", "kvn", "kekIndex", "latencyMicroseconds"];

    /// <summary>
    /// The key requests matching <paramref name="filter"/> with a sequence below <paramref name="before"/> (null: from
    /// the newest), at most <paramref name="pageSize"/>, newest first.
    /// </summary>
    /// <exception cref="ArgumentException">A filter field, the page size or the cursor is invalid (named).</exception>
    public Task<KeyRequestPage> SearchAsync(KeyRequestFilter filter, int pageSize = 50, long? before = null, CancellationToken cancellationToken = default) =>
        SearchAsync(filter, AuditOrder.NewestFirst, pageSize, before, cancellationToken);

    /// <summary>
    /// The key requests matching <paramref name="filter"/> in <paramref name="order"/>, at most <paramref name="pageSize"/>,
    /// past the keyset cursor <paramref name="before"/> (newest first: below it; oldest first: above it; null: from the start).
    /// </summary>
    /// <exception cref="ArgumentException">A filter field, the page size, the order or the cursor is invalid (named).</exception>
    public async Task<KeyRequestPage> SearchAsync(KeyRequestFilter filter, AuditOrder order, int pageSize, long? before, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentException($"pageSize: expected 1 to {MaxPageSize}.", nameof(pageSize));
        }

        if (before is < 1)
        {
            throw new ArgumentException("before: expected a sequence of 1 or more.", nameof(before));
        }

        if (!Enum.IsDefined(order))
        {
            throw new ArgumentException("order: expected NewestFirst or OldestFirst.", nameof(order));
        }

        var valid = filter.Validated();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var sqlite = db.Database.IsSqlite();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = BuildSql(valid, sqlite, pageSize + 1, before, command, order);
        var rows = new List<KeyRequestRow>(pageSize + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Read(reader, sqlite));
            }
        }

        return rows.Count > pageSize
            ? new KeyRequestPage(rows[..pageSize], rows[pageSize - 1].Sequence)
            : new KeyRequestPage(rows, null);
    }

    /// <summary>The SQL (and parameters) of one page; public to the tests, which read its query plan.</summary>
    internal static string BuildSql(KeyRequestFilter valid, bool sqlite, int limit, long? before, DbCommand command, AuditOrder order = AuditOrder.NewestFirst)
    {
        string Field(string name) => sqlite ? AuditSearchIndexSql.SqliteField(name) : AuditSearchIndexSql.PostgresField(name);
        var sql = new StringBuilder("SELECT sequence, occurred_at, outcome, hash");
        foreach (var field in Fields)
        {
            sql.Append(", ").Append(Field(field));
        }

        sql.Append(" FROM audit_events WHERE ").Append(AuditSearchIndexSql.KeyRequestPredicate);
        void Condition(string expression, string op, string name, object value)
        {
            sql.Append(" AND ").Append(expression).Append(' ').Append(op).Append(" @").Append(name);
            AuditRows.AddParameter(command, "@" + name, value);
        }

        // On PostgreSQL ->> yields text: numbers and GUIDs are compared in their JSON text form.
        if (valid.RequestId is { } requestId)
        {
            Condition(Field("requestId"), "=", "request_id", requestId.ToString("D"));
        }

        if (valid.Tsm is { } tsm)
        {
            Condition(Field("tsm"), "=", "tsm", tsm);
        }

        if (valid.Iin is { } iin)
        {
            Condition(Field("iin"), "=", "iin", iin);
        }

        if (valid.Kdd is { } kdd)
        {
            Condition(Field("kdd"), "=", "kdd", kdd);
        }

        if (valid.Kvn is { } kvn)
        {
            Condition(Field("kvn"), "=", "kvn", sqlite ? kvn : kvn.ToString(CultureInfo.InvariantCulture));
        }

        if (valid.KekIndex is { } kekIndex)
        {
            Condition(Field("kekIndex"), "=", "kek_index", sqlite ? kekIndex : kekIndex.ToString(CultureInfo.InvariantCulture));
        }

        if (valid.Outcome is { } outcome)
        {
            Condition("outcome", "=", "outcome", outcome);
        }

        if (valid.From is { } from)
        {
            Condition("occurred_at", ">=", "from", Time(from, sqlite));
        }

        if (valid.To is { } to)
        {
            Condition("occurred_at", "<", "to", Time(to, sqlite));
        }

        // The keyset cursor: "before" is the sequence to go past, below it newest first, above it oldest first.
        if (before is { } cursor)
        {
            Condition("sequence", order == AuditOrder.OldestFirst ? ">" : "<", "before", cursor);
        }

        sql.Append(order == AuditOrder.OldestFirst ? " ORDER BY sequence ASC LIMIT " : " ORDER BY sequence DESC LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
        return sql.ToString();
    }

    internal static object Time(DateTimeOffset value, bool sqlite) =>
        sqlite ? AuditHash.ToUnixMicroseconds(value) : AuditRecord.TruncateToMicroseconds(value).ToUniversalTime();

    private static KeyRequestRow Read(DbDataReader reader, bool sqlite)
    {
        var occurredAt = sqlite
            ? DateTimeOffset.UnixEpoch.AddTicks(reader.GetInt64(1) * 10)
            : reader.GetFieldValue<DateTimeOffset>(1).ToUniversalTime();
        string? Text(int i) => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
        long? Number(int i) => Text(i) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : null;
        return new KeyRequestRow(
            reader.GetInt64(0),
            occurredAt,
            Text(4) is { } id ? Guid.Parse(id, CultureInfo.InvariantCulture) : null,
            Text(5),
            Text(6),
            Text(7),
            (int?)Number(8),
            (int?)Number(9),
            reader.GetString(2),
            Number(10),
            reader.GetFieldValue<byte[]>(3));
    }
}
