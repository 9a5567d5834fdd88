using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Searches staff-action records by actor, action, subject, outcome and time (read only): one page, newest or oldest
/// first, with a keyset cursor on the sequence; the WHERE clause is <see cref="StaffActionFilterSql"/>'s.
/// </summary>
public sealed class StaffActionSearch(IDbContextFactory<TtpDbContext> factory)
{
    /// <summary>The largest page.</summary>
    public const int MaxPageSize = 500;

    /// <summary>
    /// The staff actions matching <paramref name="filter"/> in <paramref name="order"/>, at most <paramref name="pageSize"/>,
    /// after the keyset <paramref name="cursor"/> (newest first: below it; oldest first: above it; null: from the start).
    /// </summary>
    /// <exception cref="ArgumentException">A filter field, the page size, the order or the cursor is invalid (named).</exception>
    public async Task<StaffActionPage> SearchAsync(
        StaffActionFilter filter, AuditOrder order = AuditOrder.NewestFirst, int pageSize = 50, long? cursor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        AuditPaging.Check(pageSize, MaxPageSize, cursor, nameof(cursor), order);

        var valid = filter.Validated();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var sqlite = db.Database.IsSqlite();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = BuildSql(valid, sqlite, pageSize + 1, cursor, order, command);
        var rows = new List<StaffActionRow>(pageSize + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Read(reader, sqlite));
            }
        }

        return rows.Count > pageSize
            ? new StaffActionPage(rows[..pageSize], rows[pageSize - 1].Sequence)
            : new StaffActionPage(rows, null);
    }

    /// <summary>The SQL (and parameters) of one page; internal to the tests, which read its query plan.</summary>
    internal static string BuildSql(StaffActionFilter valid, bool sqlite, int limit, long? cursor, AuditOrder order, DbCommand command)
    {
        var sql = new StringBuilder(
            $"SELECT {AuditSchema.Sequence}, {AuditSchema.OccurredAt}, {AuditSchema.Actor}, {AuditSchema.Action}, " +
            $"{AuditSchema.Subject}, {AuditSchema.Outcome}, {AuditSchema.Hash} FROM {AuditSchema.EventsTable}");
        sql.Append(" WHERE ");
        StaffActionFilterSql.AppendCondition(sql, valid, sqlite, command);
        var newestFirst = order == AuditOrder.NewestFirst;
        if (cursor is { } after)
        {
            sql.Append(" AND ").Append(AuditSchema.Sequence).Append(newestFirst ? " < " : " > ").Append("@cursor");
            AuditRows.AddParameter(command, "@cursor", after);
        }

        sql.Append(" ORDER BY ").Append(AuditSchema.Sequence).Append(newestFirst ? " DESC" : " ASC")
            .Append(" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
        return sql.ToString();
    }

    private static StaffActionRow Read(DbDataReader reader, bool sqlite) => new(
        reader.GetInt64(0),
        sqlite ? DateTimeOffset.UnixEpoch.AddTicks(reader.GetInt64(1) * 10) : reader.GetFieldValue<DateTimeOffset>(1).ToUniversalTime(),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetFieldValue<byte[]>(6));
}
