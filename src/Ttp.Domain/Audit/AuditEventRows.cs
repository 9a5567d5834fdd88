using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
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
    private const string SelectSql =
        $"SELECT {AuditSchema.Sequence}, {AuditSchema.OccurredAt}, {AuditSchema.Stream}, {AuditSchema.Action}, {AuditSchema.Actor}, " +
        $"{AuditSchema.Subject}, {AuditSchema.Outcome}, {AuditSchema.Details}, {AuditSchema.Hash}, {AuditSchema.Mac} " +
        $"FROM {AuditSchema.EventsTable} ORDER BY {AuditSchema.Sequence}";

    /// <summary>Every record, in sequence order, as of the context's transaction (opened by the caller).</summary>
    public static async IAsyncEnumerable<AuditEvent> ReadAllAsync(TtpDbContext db, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var isSqlite = db.Database.IsSqlite();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = SelectSql;
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader, isSqlite);
        }
    }

    /// <summary>
    /// Every record, in sequence order, as the verifier hashes them (<see cref="AuditRow"/>): on SQLite the details'
    /// stored UTF-8 bytes and the instant's stored microseconds, without decoding to UTF-16 and encoding back.
    /// </summary>
    public static async IAsyncEnumerable<AuditRow> ReadRowsAsync(TtpDbContext db, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var isSqlite = db.Database.IsSqlite();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = SelectSql;
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new AuditRow
            {
                Sequence = reader.GetInt64(0),
                OccurredAtMicroseconds = isSqlite ? reader.GetInt64(1) : AuditHash.ToUnixMicroseconds(reader.GetFieldValue<DateTimeOffset>(1)),
                Stream = (AuditStream)reader.GetInt32(2),
                Action = reader.GetString(3),
                Actor = reader.GetString(4),
                Subject = reader.GetString(5),
                Outcome = reader.GetString(6),
                Details = isSqlite ? null : reader.GetString(7),
                DetailsUtf8 = isSqlite ? reader.GetFieldValue<byte[]>(7) : null,
                Hash = reader.GetFieldValue<byte[]>(8),
                Mac = reader.IsDBNull(9) ? null : reader.GetFieldValue<byte[]>(9),
            };
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
