using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Reads the audit records in sequence order with plain SQL on the context's connection and current transaction (the
/// verifier's snapshot), without EF Core's materialisation: at a million records that took most of a verification's
/// time (docs/PERFORMANCE.md, "Audit workspace data"). Same values as the mapped <see cref="AuditEvent"/>: instants
/// are UTC microseconds on SQLite and <c>timestamptz</c> on PostgreSQL.
/// </summary>
internal static class AuditEventRows
{
    private const string Columns =
        $"SELECT {AuditSchema.Sequence}, {AuditSchema.OccurredAt}, {AuditSchema.Stream}, {AuditSchema.Action}, {AuditSchema.Actor}, " +
        $"{AuditSchema.Subject}, {AuditSchema.Outcome}, {AuditSchema.Details}, {AuditSchema.Hash}, {AuditSchema.Mac}";

    /// <summary>Every record's columns in sequence order (the verifier's row sources, <see cref="AuditRowReader"/>).</summary>
    internal const string SelectAllSql = $"{Columns} FROM {AuditSchema.EventsTable} ORDER BY {AuditSchema.Sequence}";

    /// <summary>
    /// The records after <paramref name="afterSequence"/> up to <paramref name="throughSequence"/>, in sequence order, on
    /// the context's connection (the alert scanner's pass over new records).
    /// </summary>
    public static async IAsyncEnumerable<AuditEvent> ReadRangeAsync(
        TtpDbContext db, long afterSequence, long throughSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (record, _) in ReadRunAsync(db, afterSequence + 1, throughSequence, null, cancellationToken))
        {
            yield return record;
        }
    }

    /// <summary>
    /// The records <paramref name="first"/> to <paramref name="last"/> in sequence order, each with whether it matches
    /// <paramref name="marks"/> (false for all without one), as of the context's transaction (opened by the caller).
    /// </summary>
    public static IAsyncEnumerable<(AuditEvent Record, bool Match)> ReadRunAsync(
        TtpDbContext db, long first, long last, AuditSelection? marks, CancellationToken cancellationToken) =>
        ReadAsync(db, (sql, sqlite, command) =>
        {
            sql.Append(", ");
            if (marks is null)
            {
                sql.Append('0');
            }
            else
            {
                sql.Append("CASE WHEN ");
                marks.AppendCondition(sql, sqlite, command);
                sql.Append(" THEN 1 ELSE 0 END");
            }

            sql.Append($" FROM {AuditSchema.EventsTable} WHERE {AuditSchema.Sequence} BETWEEN @run_first AND @run_last ORDER BY {AuditSchema.Sequence}");
            AuditRows.AddParameter(command, "@run_first", first);
            AuditRows.AddParameter(command, "@run_last", last);
        }, cancellationToken);

    /// <summary>The records matching <paramref name="selection"/>, in sequence order, as of the context's transaction (if any).</summary>
    public static IAsyncEnumerable<(AuditEvent Record, bool Match)> ReadMatchingAsync(TtpDbContext db, AuditSelection selection, CancellationToken cancellationToken) =>
        ReadAsync(db, (sql, sqlite, command) =>
        {
            sql.Append($", 1 FROM {AuditSchema.EventsTable} WHERE ");
            selection.AppendCondition(sql, sqlite, command);
            sql.Append($" ORDER BY {AuditSchema.Sequence}");
        }, cancellationToken);

    // Columns, then what build appends (a match column, FROM, WHERE, ORDER BY), streamed row by row.
    private static async IAsyncEnumerable<(AuditEvent Record, bool Match)> ReadAsync(
        TtpDbContext db, Action<StringBuilder, bool, DbCommand> build, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var isSqlite = db.Database.IsSqlite();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var sql = new StringBuilder(Columns, 512);
        build(sql, isSqlite, command);
        command.CommandText = sql.ToString();
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = Read(reader, isSqlite);
            yield return (record, Convert.ToInt64(reader.GetValue(10), System.Globalization.CultureInfo.InvariantCulture) != 0);
        }
    }

    private static AuditEvent Read(DbDataReader reader, bool isSqlite) => new()
    {
        Sequence = reader.GetInt64(0),
        OccurredAt = isSqlite ? new DateTimeOffset(DateTimeOffset.UnixEpoch.Ticks + (reader.GetInt64(1) * 10), TimeSpan.Zero) : reader.GetFieldValue<DateTimeOffset>(1),
        Stream = (AuditStream)reader.GetInt32(2),
        Action = reader.GetString(3),
        Actor = reader.GetString(4),
        Subject = reader.GetString(5),
        Outcome = reader.GetString(6),
        Details = reader.GetString(7),
        Hash = reader.GetFieldValue<byte[]>(8),
        Mac = reader.IsDBNull(9) ? null : reader.GetFieldValue<byte[]>(9),
    };
}
