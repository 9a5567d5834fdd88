using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// The check of one record against its predecessor (shared by <see cref="AuditVerifier"/> and <see cref="AuditAnchor"/>):
/// records up to the HMAC transition carry <c>HMAC-SHA256(audit key, previous || canonical)</c>, later ones
/// <c>SHA-256(previous || canonical)</c> and the MAC <c>HMAC-SHA256(audit key, hash)</c>.
/// </summary>
internal static class AuditChainCheck
{
    /// <summary>Why <paramref name="record"/> does not follow <paramref name="previousHash"/>, or <see cref="AuditBreakReason.None"/>.</summary>
    public static AuditBreakReason Check(AuditHasher hasher, ReadOnlySpan<byte> previousHash, AuditEvent record, long hmacThrough)
    {
        byte[] computed;
        try
        {
            computed = record.Sequence <= hmacThrough ? hasher.ComputeHmac(previousHash, record) : hasher.Compute(previousHash, record);
        }
        catch (ArgumentException)
        {
            // Text that has no UTF-8 form cannot have been appended: changed.
            return AuditBreakReason.HashMismatch;
        }

        if (!CryptographicOperations.FixedTimeEquals(computed, record.Hash))
        {
            return AuditBreakReason.HashMismatch;
        }

        if (record.Sequence > hmacThrough
            && (record.Mac is not { } mac || !CryptographicOperations.FixedTimeEquals(hasher.ComputeMac(record.Hash), mac)))
        {
            return AuditBreakReason.MacMismatch;
        }

        return AuditBreakReason.None;
    }

    /// <summary>Why the verifier's <paramref name="row"/> does not follow <paramref name="previousHash"/>, or <see cref="AuditBreakReason.None"/>.</summary>
    public static AuditBreakReason Check(AuditHasher hasher, ReadOnlySpan<byte> previousHash, AuditRowView row, long hmacThrough)
    {
        if (!row.IsComplete)
        {
            // A NULL where the TTP writes a value: changed.
            return AuditBreakReason.HashMismatch;
        }

        Span<byte> computed = stackalloc byte[AuditHash.Size];
        try
        {
            hasher.Compute(previousHash, row, hmac: row.Sequence <= hmacThrough, computed);
        }
        catch (ArgumentException)
        {
            // Text that has no UTF-8 form cannot have been appended: changed.
            return AuditBreakReason.HashMismatch;
        }

        if (!CryptographicOperations.FixedTimeEquals(computed, row.Hash))
        {
            return AuditBreakReason.HashMismatch;
        }

        if (row.Sequence > hmacThrough)
        {
            if (!row.HasMac)
            {
                return AuditBreakReason.MacMismatch;
            }

            hasher.ComputeMac(row.Hash, computed);
            if (!CryptographicOperations.FixedTimeEquals(computed, row.Mac))
            {
                return AuditBreakReason.MacMismatch;
            }
        }

        return AuditBreakReason.None;
    }

    /// <summary>One line naming the problem <paramref name="reason"/> found at <paramref name="sequence"/>.</summary>
    public static string Describe(AuditBreakReason reason, long sequence) => reason switch
    {
        AuditBreakReason.HashMismatch => $"record {sequence} does not match its hash: it or its hash was changed",
        AuditBreakReason.MacMismatch => $"record {sequence} does not carry the TTP's MAC: it was not written by the TTP, or its hash was changed",
        _ => $"record {sequence}: {reason}",
    };

    /// <summary>
    /// Verifies the records after <paramref name="from"/> up to <paramref name="to"/> as stored, starting from
    /// <paramref name="from"/>'s hash (checked against the stored record unless it is the genesis).
    /// </summary>
    /// <returns>The position of record <paramref name="to"/>.</returns>
    /// <exception cref="IntegrityException">A record is missing, changed or not written by the TTP.</exception>
    public static async Task<AuditChainPosition> VerifyStretchAsync(
        TtpDbContext db, AuditKey key, AuditChainPosition from, long to, long hmacThrough, CancellationToken cancellationToken)
    {
        using var hasher = new AuditHasher(key);
        var previous = from.Hash;
        var expected = from.Sequence + 1;
        var records = db.AuditEvents.AsNoTracking()
            .Where(e => e.Sequence >= from.Sequence && e.Sequence <= to)
            .OrderBy(e => e.Sequence)
            .AsAsyncEnumerable()
            .WithCancellation(cancellationToken);
        await foreach (var record in records)
        {
            if (record.Sequence == from.Sequence)
            {
                if (!CryptographicOperations.FixedTimeEquals(record.Hash, from.Hash))
                {
                    throw new IntegrityException($"record {from.Sequence} no longer carries the hash it was checkpointed with: the trail was changed or restored");
                }

                continue;
            }

            if (record.Sequence != expected)
            {
                throw new IntegrityException($"record {expected} is missing");
            }

            var reason = Check(hasher, previous, record, hmacThrough);
            if (reason != AuditBreakReason.None)
            {
                throw new IntegrityException(Describe(reason, record.Sequence));
            }

            previous = record.Hash;
            expected++;
        }

        if (expected <= to)
        {
            throw new IntegrityException(expected == to ? $"record {to} is missing" : $"records {expected} to {to} are missing");
        }

        return new AuditChainPosition(to, previous);
    }
}
