using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Recomputes the audit chain (<c>ttpctl audit verify</c>, the auditor's page): every hash, sequences from 1 without
/// gap or duplicate, and the head against the last record. Streams the records in sequence order, so memory does not
/// grow with the chain.
/// </summary>
public static class AuditVerifier
{
    /// <summary>
    /// Verifies the whole chain as of one snapshot (appends that commit meanwhile are not seen) and names the first
    /// broken record. A broken chain is a result, not an exception; see <see cref="AuditVerificationResult.ThrowIfBroken"/>.
    /// </summary>
    public static async Task<AuditVerificationResult> VerifyAsync(IDbContextFactory<TtpDbContext> factory, AuditKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(key);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var snapshot = await AuditReadSnapshot.BeginAsync(db, cancellationToken);

        var head = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
        using var hasher = new AuditHasher(key);
        var previousHash = AuditHash.Genesis.ToArray();
        long expected = 1;
        long count = 0;

        var records = db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken);
        await foreach (var record in records)
        {
            if (record.Sequence < expected)
            {
                return AuditVerificationResult.Broken(count, expected - 1, record.Sequence, AuditBreakReason.Duplicate,
                    $"record {record.Sequence} appears again after record {expected - 1}");
            }

            if (record.Sequence > expected)
            {
                var missing = record.Sequence - 1 == expected ? $"record {expected} is missing" : $"records {expected} to {record.Sequence - 1} are missing";
                return AuditVerificationResult.Broken(count, expected - 1, expected, AuditBreakReason.Gap, missing);
            }

            if (!HashMatches(hasher, previousHash, record))
            {
                return AuditVerificationResult.Broken(count, expected - 1, record.Sequence, AuditBreakReason.HashMismatch,
                    $"record {record.Sequence} does not match its hash: it or its hash was changed");
            }

            previousHash = record.Hash;
            expected++;
            count++;
        }

        var last = expected - 1;
        if (head is null)
        {
            return AuditVerificationResult.Broken(count, last, last + 1, AuditBreakReason.HeadMismatch, "the chain head row is missing");
        }

        if (head.LastSequence > last)
        {
            var missing = head.LastSequence == last + 1 ? $"record {last + 1} is missing" : $"records {last + 1} to {head.LastSequence} are missing";
            return AuditVerificationResult.Broken(count, last, last + 1, AuditBreakReason.HeadMismatch,
                $"the chain head ends at record {head.LastSequence}: {missing} from the end");
        }

        if (head.LastSequence < last)
        {
            return AuditVerificationResult.Broken(count, last, head.LastSequence + 1, AuditBreakReason.HeadMismatch,
                $"record {head.LastSequence + 1} lies past the chain head (record {head.LastSequence})");
        }

        if (!CryptographicOperations.FixedTimeEquals(head.LastHash, previousHash))
        {
            return AuditVerificationResult.Broken(count, last, last, AuditBreakReason.HeadMismatch,
                $"the chain head's hash does not match record {last}");
        }

        return AuditVerificationResult.Intact(count, last);
    }

    private static bool HashMatches(AuditHasher hasher, byte[] previousHash, AuditEvent record)
    {
        byte[] computed;
        try
        {
            computed = hasher.Compute(previousHash, record);
        }
        catch (ArgumentException)
        {
            // Text that has no UTF-8 form cannot have been appended: changed.
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(computed, record.Hash);
    }
}
