using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;

namespace Ttp.Domain;

/// <summary>
/// Runs one staff action: a context, a transaction, the change, and its audit record appended to the chain in the
/// same transaction, so that a change is never committed without its record nor the reverse. Access records added or
/// changed by the action (TSMs, certificates, scope) get their MACs here, in the same transaction
/// (<see cref="RecordAuthenticator"/>). After the commit, the anchor writes a checkpoint covering the record before this
/// returns (<see cref="AuditAnchor"/>; none without one: tools and tests).
/// </summary>
public sealed class AuditedTransaction(IDbContextFactory<TtpDbContext> factory, AuditKeyHolder auditKey, RecordKeyHolder recordKey, AuditAnchor? anchor = null)
{
    /// <summary>
    /// Runs <paramref name="change"/> in a transaction; the change returns its result and the audit record that
    /// describes it. Both commit together; on any exception nothing is written.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<TtpDbContext, Task<(T Result, AuditRecord Record)>> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        // The keys first: loading one the first time writes it, which on SQLite must not wait on this transaction's lock.
        var key = await auditKey.GetAsync(cancellationToken);
        var records = await recordKey.GetAsync(cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Take the chain's lock first: on SQLite a deferred transaction that reads and then writes can fail with
        // SQLITE_BUSY_SNAPSHOT when another process wrote in between; locking first makes writers queue instead.
        await AuditLedger.LockHeadAsync(db, cancellationToken);
        var (result, record) = await change(db);
        records.SealChanges(db);
        await db.SaveChangesAsync(cancellationToken);
        var appended = await AuditLedger.AppendAndTellAsync(db, [record], key, TimeProvider.System, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (anchor is not null)
        {
            await anchor.CoverAsync(appended.Previous, appended.Head, cancellationToken);
        }

        return result;
    }
}
