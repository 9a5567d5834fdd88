using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Every audit record in sequence order from SQLite, on the context's connection and transaction (the verifier's
/// snapshot), through the connection's native statement: each field's stored bytes are copied from SQLite's row straight
/// into the batch, without a string or an array per field (<see cref="AuditRowBatch"/>).
/// </summary>
internal sealed class SqliteAuditRowSource : IAuditRowSource
{
    private const int FirstField = 3;

    private readonly sqlite3 _connection;
    private readonly sqlite3_stmt _statement;

    public SqliteAuditRowSource(TtpDbContext db)
    {
        _connection = ((SqliteConnection)db.Database.GetDbConnection()).Handle
            ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var result = raw.sqlite3_prepare_v2(_connection, AuditEventRows.SelectAllSql, out _statement);
        if (result != raw.SQLITE_OK)
        {
            _statement.Dispose();
            throw Failure(result);
        }
    }

    public bool Fill(AuditRowBatch batch)
    {
        while (!batch.IsFull)
        {
            var result = raw.sqlite3_step(_statement);
            if (result == raw.SQLITE_DONE)
            {
                return false;
            }

            if (result != raw.SQLITE_ROW)
            {
                throw Failure(result);
            }

            batch.Add(raw.sqlite3_column_int64(_statement, 0), raw.sqlite3_column_int64(_statement, 1), raw.sqlite3_column_int(_statement, 2));
            for (var field = 0; field < AuditRowBatch.FieldCount; field++)
            {
                if (raw.sqlite3_column_type(_statement, FirstField + field) != raw.SQLITE_NULL)
                {
                    // Text columns give their stored UTF-8 bytes as they are.
                    batch.Put(field, raw.sqlite3_column_blob(_statement, FirstField + field));
                }
            }
        }

        return true;
    }

    public void Dispose() => _statement.Dispose();

    private SqliteException Failure(int result) => new(raw.sqlite3_errmsg(_connection).utf8_to_string(), result);
}
