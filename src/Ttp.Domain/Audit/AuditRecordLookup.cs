using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>Reads one audit record by its sequence with every recorded field (read only), for the auditor's detail views.</summary>
public sealed class AuditRecordLookup(IDbContextFactory<TtpDbContext> factory)
{
    /// <summary>The record at <paramref name="sequence"/>; null when there is none (or it is not of <paramref name="stream"/>, when given).</summary>
    /// <exception cref="ArgumentException"><paramref name="sequence"/> is below 1 (named).</exception>
    public async Task<AuditRecordDetail?> GetAsync(long sequence, AuditStream? stream = null, CancellationToken cancellationToken = default)
    {
        if (sequence < 1)
        {
            throw new ArgumentException("sequence: expected a sequence of 1 or more.", nameof(sequence));
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var record = await db.AuditEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Sequence == sequence, cancellationToken);
        if (record is null || (stream is { } wanted && record.Stream != wanted))
        {
            return null;
        }

        var (fields, before, after) = AuditDetailsFields.Flatten(record.Details);
        return new AuditRecordDetail(
            record.Sequence,
            record.OccurredAt.ToUniversalTime(),
            record.Stream,
            record.Action,
            record.Actor,
            record.Subject,
            record.Outcome,
            fields,
            before,
            after,
            Convert.ToHexStringLower(record.Hash)); // as the exports print it
    }
}
