using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Appends records to the audit chain inside the caller's transaction, so that a state change and its record commit
/// together or not at all (CONVENTIONS 6). Staff actions call it directly (through <c>AuditedTransaction</c>); the hot
/// path of key requests goes through <see cref="AuditWriter"/>, which calls it once per batch.
/// </summary>
/// <remarks>
/// <para>Every append first locks the chain head with
/// <c>UPDATE audit_chain_head SET last_sequence = last_sequence WHERE id = 1 RETURNING last_sequence, last_hash</c>:
/// on PostgreSQL that takes the head row's lock (waiting for a concurrent append to commit, then returning the row it
/// committed), on SQLite the database write lock (waiting up to the busy timeout). The head is thus read only once the
/// lock is held, so that every writer (threads, <c>ttpctl</c> and the portal, several portal nodes) extends the same
/// chain. The lock is held until the caller's transaction ends: append late and commit soon. On PostgreSQL the transaction must be READ COMMITTED (the
/// default): under REPEATABLE READ a concurrent append makes the lock fail with a serialization error.</para>
/// <para>Each record's hash is <c>SHA-256(previous hash || canonical record)</c> and its MAC
/// <c>HMAC-SHA256(audit key, hash)</c> (<see cref="AuditHash"/>). Checkpoints are not written here: the callers that
/// commit (<see cref="AuditWriter"/>, <c>AuditedTransaction</c>) hand the committed head to <see cref="AuditAnchor"/>.</para>
/// <para>The rows are written with plain SQL on the context's connection and transaction, without change tracking:
/// on PostgreSQL one multi-row <c>INSERT</c> per chunk of rows (one round trip), on SQLite one prepared single-row
/// <c>INSERT</c> executed per row (in-process, no round trip). That keeps the group commit of key requests above
/// 20,000 records/s. Tracked entities of the context are neither saved nor touched.</para>
/// </remarks>
public static class AuditLedger
{
    /// <summary>
    /// Takes the chain's lock in the caller's transaction now, before the change it will record: on SQLite a
    /// transaction that reads and then writes can otherwise fail when another process wrote in between; locking first
    /// makes writers queue instead. The lock is held until the transaction ends.
    /// </summary>
    /// <exception cref="InvalidOperationException">The context has no current transaction.</exception>
    /// <exception cref="IntegrityException">The chain head row is missing.</exception>
    public static async Task LockHeadAsync(TtpDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Locking the audit chain needs a transaction: begin one on the context first.");
        await using var statements = new AuditStatements(db.Database.GetDbConnection());
        _ = await statements.LockAndReadHeadAsync(transaction.GetDbTransaction(), cancellationToken);
    }

    /// <summary>
    /// Appends <paramref name="records"/> to the chain in the context's current transaction (or, when it has none, in a
    /// transaction of its own that is committed before this returns). Records without a time get the current time.
    /// </summary>
    /// <returns>The sequence of the first record; the others follow it without gaps, in list order.</returns>
    /// <exception cref="ArgumentException"><paramref name="records"/> is empty or holds null.</exception>
    /// <exception cref="IntegrityException">The chain head row is missing or moved while locked.</exception>
    public static Task<long> AppendAsync(TtpDbContext db, IReadOnlyList<AuditRecord> records, AuditKey key, CancellationToken cancellationToken = default) =>
        AppendAsync(db, records, key, TimeProvider.System, cancellationToken);

    /// <summary>
    /// <see cref="AppendAsync(TtpDbContext, IReadOnlyList{AuditRecord}, AuditKey, CancellationToken)"/> with the clock
    /// that stamps records without a time.
    /// </summary>
    /// <returns>The sequence of the first record; the others follow it without gaps, in list order.</returns>
    public static async Task<long> AppendAsync(
        TtpDbContext db,
        IReadOnlyList<AuditRecord> records,
        AuditKey key,
        TimeProvider timeProvider,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (records.Count == 0)
        {
            throw new ArgumentException("At least one audit record is needed.", nameof(records));
        }

        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is null)
            {
                throw new ArgumentException("An audit record is null.", nameof(records));
            }
        }

        return (await AppendAndTellAsync(db, records, key, timeProvider, cancellationToken)).First;
    }

    /// <summary>
    /// <see cref="AppendAsync(TtpDbContext, IReadOnlyList{AuditRecord}, AuditKey, TimeProvider, CancellationToken)"/>,
    /// telling also the new head (for the checkpoint that follows the commit).
    /// </summary>
    /// <remarks><paramref name="statements"/>: the prepared statements of the context's connection, kept by a caller that
    /// appends often on one connection (<see cref="AuditWriter"/>); made for this append when null.</remarks>
    internal static async Task<AuditAppendResult> AppendAndTellAsync(
        TtpDbContext db,
        IReadOnlyList<AuditRecord> records,
        AuditKey key,
        TimeProvider timeProvider,
        CancellationToken cancellationToken,
        AuditStatements? statements = null)
    {
        var now = AuditRecord.TruncateToMicroseconds(timeProvider.GetUtcNow());
        var own = statements is null ? new AuditStatements(db.Database.GetDbConnection()) : null;
        await using (own)
        {
            var used = statements ?? own!;
            if (!ReferenceEquals(used.Connection, db.Database.GetDbConnection()))
            {
                throw new ArgumentException("The statements belong to another connection.", nameof(statements));
            }

            if (db.Database.CurrentTransaction is not null)
            {
                return await AppendCoreAsync(db, used, records, key, now, cancellationToken);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await AppendCoreAsync(db, used, records, key, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
    }

    private static async Task<AuditAppendResult> AppendCoreAsync(
        TtpDbContext db, AuditStatements statements, IReadOnlyList<AuditRecord> records, AuditKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var isSqlite = db.Database.IsSqlite();

        var (previousSequence, previousHash) = await statements.LockAndReadHeadAsync(transaction, cancellationToken);

        var hashes = new byte[records.Count][];
        var macs = new byte[records.Count][];
        var times = new DateTimeOffset[records.Count];
        using (var hasher = new AuditHasher(key))
        {
            var previous = previousHash;
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                times[i] = record.OccurredAt ?? now;
                previous = hashes[i] = hasher.Compute(
                    previous,
                    previousSequence + 1 + i,
                    times[i],
                    (int)record.Stream,
                    record.Action,
                    record.Actor,
                    record.Subject,
                    record.Outcome,
                    record.Details);
                macs[i] = hasher.ComputeMac(previous);
            }
        }

        var rows = new AuditRows(records, previousSequence, times, hashes, macs);
        if (isSqlite)
        {
            await statements.InsertRowByRowAsync(rows, transaction, cancellationToken);
        }
        else
        {
            await rows.InsertMultiRowAsync(connection, transaction, cancellationToken);
        }

        var last = previousSequence + records.Count;
        if (!await statements.UpdateHeadAsync(transaction, last, hashes[^1], previousSequence, cancellationToken))
        {
            throw new IntegrityException("The audit chain head moved while it was locked.");
        }

        return new AuditAppendResult(new AuditChainPosition(previousSequence, previousHash), previousSequence + 1, new AuditChainPosition(last, hashes[^1]));
    }
}
