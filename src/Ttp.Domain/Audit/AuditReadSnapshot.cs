using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// A read-only snapshot of the database on a context, so that the head and every record are read as of one instant
/// while writers go on: PostgreSQL REPEATABLE READ; on SQLite an explicitly deferred transaction (a WAL reader: its
/// snapshot starts at the first read, and it never takes the write lock).
/// </summary>
internal sealed class AuditReadSnapshot : IAsyncDisposable
{
    private readonly IDbContextTransaction _efTransaction;
    private readonly SqliteTransaction? _sqliteTransaction;

    private AuditReadSnapshot(IDbContextTransaction efTransaction, SqliteTransaction? sqliteTransaction)
    {
        _efTransaction = efTransaction;
        _sqliteTransaction = sqliteTransaction;
    }

    public static async Task<AuditReadSnapshot> BeginAsync(TtpDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return new AuditReadSnapshot(await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken), null);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = connection.BeginTransaction(deferred: true);
        var efTransaction = await db.Database.UseTransactionAsync(transaction, cancellationToken)
            ?? throw new InvalidOperationException("The context did not take the read transaction.");
        return new AuditReadSnapshot(efTransaction, transaction);
    }

    public async ValueTask DisposeAsync()
    {
        await _efTransaction.DisposeAsync();
        if (_sqliteTransaction is not null)
        {
            await _sqliteTransaction.DisposeAsync();
        }
    }
}
