using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Every audit record in sequence order from PostgreSQL, on the context's connection and transaction (the verifier's
/// snapshot), read synchronously (the reading thread has nothing else to do) with each text column's bytes as sent (UTF-8,
/// the connection's encoding) copied into the batch: no string or array per field (<see cref="AuditRowBatch"/>).
/// </summary>
internal sealed class PostgresAuditRowSource : IAuditRowSource
{
    private const int FirstField = 3;

    private readonly NpgsqlCommand _command;
    private readonly NpgsqlDataReader _reader;
    private bool _done;

    public PostgresAuditRowSource(TtpDbContext db)
    {
        _command = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        _command.Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
        _command.CommandText = AuditEventRows.SelectAllSql;
        _reader = _command.ExecuteReader(CommandBehavior.SequentialAccess);
    }

    public bool Fill(AuditRowBatch batch)
    {
        while (!batch.IsFull)
        {
            if (!_reader.Read())
            {
                _done = true;
                return false;
            }

            // Columns in order: the reader is sequential.
            var sequence = _reader.GetInt64(0);
            var occurredAt = new DateTimeOffset(_reader.GetFieldValue<DateTime>(1), TimeSpan.Zero);
            batch.Add(sequence, AuditHash.ToUnixMicroseconds(occurredAt), _reader.GetInt32(2));
            for (var field = 0; field < AuditRowBatch.FieldCount; field++)
            {
                var column = FirstField + field;
                if (!_reader.IsDBNull(column))
                {
                    var length = checked((int)_reader.GetBytes(column, 0, null, 0, 0));
                    var (buffer, offset) = batch.Reserve(field, length);
                    _reader.GetBytes(column, 0, buffer, offset, length);
                }
            }
        }

        return true;
    }

    public void Dispose()
    {
        if (!_done)
        {
            // Stopped early (a broken record, a cancellation): stop the query rather than read the rest of the trail.
            _command.Cancel();
        }

        try
        {
            _reader.Dispose();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled)
        {
            // The cancellation asked for above.
        }

        _command.Dispose();
    }
}
