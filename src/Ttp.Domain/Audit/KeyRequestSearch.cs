using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Searches key-request records by the fields of their Details (read only): one page, newest or oldest first (by time,
/// then sequence), with a keyset cursor on the sequence. The condition is <see cref="KeyRequestFilterSql"/>'s (the expressions and the predicate of the partial indexes of
/// <see cref="AuditSearchIndexSql"/>, so that both planners use them); every value is a parameter.
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
        AuditPaging.Check(pageSize, MaxPageSize, before, nameof(before), order);

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
        var sql = new StringBuilder("SELECT sequence, occurred_at, outcome, hash");
        foreach (var field in Fields)
        {
            sql.Append(", ").Append(KeyRequestFilterSql.Field(field, sqlite));
        }

        sql.Append(" FROM audit_events WHERE ");
        KeyRequestFilterSql.AppendCondition(sql, valid, sqlite, command);

        // Time order, the sequence breaking ties: the (field, occurred_at, sequence) indexes deliver it, so that a page is
        // read from the index in order and the LIMIT stops early (ordering by sequence alone made PostgreSQL sort every
        // match of a TSM's day). The keyset cursor "before" is the sequence of the last row shown; its time is looked up
        // by primary key; below it newest first, above it oldest first.
        var oldest = order == AuditOrder.OldestFirst;
        if (before is { } cursor)
        {
            sql.Append(" AND (occurred_at, sequence) ").Append(oldest ? '>' : '<')
                .Append(" ((SELECT occurred_at FROM audit_events WHERE sequence = @before), @before)");
            AuditRows.AddParameter(command, "@before", cursor);
        }

        sql.Append(oldest ? " ORDER BY occurred_at ASC, sequence ASC LIMIT " : " ORDER BY occurred_at DESC, sequence DESC LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
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
