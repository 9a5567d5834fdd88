using System.Data.Common;

namespace Ttp.Domain.Audit;

/// <summary>
/// The statements of an append on one connection (<see cref="AuditLedger"/>): lock and read the chain head, insert a row
/// (SQLite: one prepared single-row statement re-bound per row), move the head. Made once per connection and reused:
/// SQLite prepares a statement when its command first runs and keeps it while the command and the connection live, and
/// preparing the insert (ten B-trees, the search indexes' expressions) costs as much as inserting several rows. The group-
/// commit <see cref="AuditWriter"/> keeps one for its connection across batches; other callers make one per append.
/// </summary>
internal sealed class AuditStatements(DbConnection connection) : IAsyncDisposable
{
    private const string LockHeadSql =
        $"UPDATE {AuditSchema.HeadTable} SET {AuditSchema.HeadLastSequence} = {AuditSchema.HeadLastSequence} " +
        $"WHERE {AuditSchema.HeadId} = 1 RETURNING {AuditSchema.HeadLastSequence}, {AuditSchema.HeadLastHash}";

    private const string UpdateHeadSql =
        $"UPDATE {AuditSchema.HeadTable} SET {AuditSchema.HeadLastSequence} = @last, {AuditSchema.HeadLastHash} = @hash " +
        $"WHERE {AuditSchema.HeadId} = 1 AND {AuditSchema.HeadLastSequence} = @previous";

    private DbCommand? _lockHead;
    private DbCommand? _insertRow;
    private DbParameter[]? _rowParameters;
    private DbCommand? _updateHead;

    /// <summary>The connection these statements run on.</summary>
    public DbConnection Connection => connection;

    /// <summary>Takes the chain's lock in <paramref name="transaction"/> and reads the head (sequence, hash) it holds.</summary>
    /// <exception cref="IntegrityException">The head row is missing or its hash has the wrong length.</exception>
    public async Task<(long Sequence, byte[] Hash)> LockAndReadHeadAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        var command = _lockHead ??= Create(LockHeadSql);
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new IntegrityException("The audit chain head row is missing.");
        }

        var sequence = reader.GetInt64(0);
        var hash = reader.GetFieldValue<byte[]>(1);
        if (hash.Length != AuditHash.Size)
        {
            throw new IntegrityException("The audit chain head holds a hash of the wrong length.");
        }

        return (sequence, hash);
    }

    /// <summary>Inserts <paramref name="rows"/> one row at a time with the prepared single-row statement (SQLite).</summary>
    public async Task InsertRowByRowAsync(AuditRows rows, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (_insertRow is null)
        {
            _insertRow = Create(AuditRows.SingleRowInsertSql);
            _rowParameters = AuditRows.AddRowParameters(_insertRow);
        }

        _insertRow.Transaction = transaction;
        for (var i = 0; i < rows.Count; i++)
        {
            rows.Bind(i, _rowParameters!);
            await _insertRow.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Moves the head from <paramref name="previous"/> to (<paramref name="last"/>, <paramref name="hash"/>); false when it had moved.</summary>
    public async Task<bool> UpdateHeadAsync(DbTransaction transaction, long last, byte[] hash, long previous, CancellationToken cancellationToken)
    {
        if (_updateHead is null)
        {
            _updateHead = Create(UpdateHeadSql);
            AuditRows.AddParameter(_updateHead, "@last", 0L);
            AuditRows.AddParameter(_updateHead, "@hash", Array.Empty<byte>());
            AuditRows.AddParameter(_updateHead, "@previous", 0L);
        }

        _updateHead.Transaction = transaction;
        _updateHead.Parameters[0].Value = last;
        _updateHead.Parameters[1].Value = hash;
        _updateHead.Parameters[2].Value = previous;
        return await _updateHead.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var command in (DbCommand?[])[_lockHead, _insertRow, _updateHead])
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }

        _lockHead = _insertRow = _updateHead = null;
    }

    private DbCommand Create(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
