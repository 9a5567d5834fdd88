using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Recomputes the audit chain (<c>ttpctl audit verify</c>, the portal): every hash (HMAC with the audit key up to the
/// transition, SHA-256 after it) and every record MAC, sequences from 1 without gap or duplicate, the head against the
/// last record, and, with the anchors, every checkpoint (signature, link to the one before) against the chain: a record
/// that differs from a checkpoint's hash, or a chain that ends before the latest checkpoint (a cut tail, a wipe), is
/// named. Streams records and checkpoints in sequence order, so memory does not grow with the trail.
/// </summary>
public static class AuditVerifier
{
    /// <summary>
    /// Verifies the chain alone, without the checkpoints (a cut tail or a wipe is not seen: use the overload with the
    /// anchors, as <see cref="AuditTrailVerifier"/> does), as of one snapshot, and names the first broken record. A broken
    /// chain is a result, not an exception; see <see cref="AuditVerificationResult.ThrowIfBroken"/>.
    /// </summary>
    public static Task<AuditVerificationResult> VerifyAsync(IDbContextFactory<TtpDbContext> factory, AuditKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(key);
        return VerifyCoreAsync(factory, key, null, null, cancellationToken);
    }

    /// <summary>
    /// Verifies the chain and the checkpoints of <paramref name="anchors"/> under <paramref name="publicKey"/>, as of
    /// one snapshot of the database, and names the first problem.
    /// </summary>
    public static Task<AuditVerificationResult> VerifyAsync(
        IDbContextFactory<TtpDbContext> factory, AuditKey key, AuditCheckpointFile anchors, AuditPublicKey publicKey, CancellationToken cancellationToken = default) =>
        VerifyAsync(factory, key, anchors, publicKey, null, cancellationToken);

    /// <summary>
    /// As <see cref="VerifyAsync(IDbContextFactory{TtpDbContext}, AuditKey, AuditCheckpointFile, AuditPublicKey, CancellationToken)"/>,
    /// telling <paramref name="progress"/> the number of records verified every <see cref="ProgressStep"/> records (on the
    /// verifying thread: keep it cheap, e.g. store the number and write it elsewhere).
    /// </summary>
    public static Task<AuditVerificationResult> VerifyAsync(
        IDbContextFactory<TtpDbContext> factory, AuditKey key, AuditCheckpointFile anchors, AuditPublicKey publicKey, IProgress<long>? progress,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(publicKey);
        return VerifyCoreAsync(factory, key, new AuditCheckpointReader(anchors, publicKey, cancellationToken), progress, cancellationToken);
    }

    /// <summary>Records per batch read ahead on another thread (<see cref="AuditRowReader"/>).</summary>
    private const int ReadAheadBatch = 1024;

    /// <summary>How many records are verified between two reports of progress (a power of two).</summary>
    public const int ProgressStep = 1024;

    private static async Task<AuditVerificationResult> VerifyCoreAsync(
        IDbContextFactory<TtpDbContext> factory, AuditKey key, AuditCheckpointReader? checkpoints, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await using var reader = checkpoints;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var snapshot = await AuditReadSnapshot.BeginAsync(db, cancellationToken);

        var head = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
        var hmacThrough = head?.HmacThrough ?? 0;
        var count = 0L;
        AuditVerificationResult Broken(long brokenSequence, AuditBreakReason reason, string problem) =>
            AuditVerificationResult.Broken(count, count, brokenSequence, reason, problem)
                .WithAnchors(hmacThrough, reader?.Count, reader?.Latest);

        // The first checkpoint names the transition from HMAC to SHA-256, signed: the head row's copy must agree.
        AuditCheckpoint? next = null;
        if (reader is not null)
        {
            (next, var problem) = await reader.NextAsync();
            if (problem is not null)
            {
                return Broken(1, AuditBreakReason.CheckpointInvalid, problem);
            }

            if (next is not null && head is not null && next.HmacThrough != head.HmacThrough)
            {
                return Broken(Math.Min(next.HmacThrough, head.HmacThrough) + 1, AuditBreakReason.CheckpointInvalid, string.Create(CultureInfo.InvariantCulture,
                    $"the chain head says records up to {head.HmacThrough} are HMAC-chained, the signed checkpoints say up to {next.HmacThrough}: changed in the database"));
            }

            hmacThrough = next?.HmacThrough ?? hmacThrough;
        }

        using var hasher = new AuditHasher(key);
        var previousHash = AuditHash.Genesis.ToArray();
        long expected = 1;
        await foreach (var batch in AuditRowReader.ReadAheadAsync(db, ReadAheadBatch, cancellationToken))
        {
            for (var index = 0; index < batch.Count; index++)
            {
                var sequence = batch[index].Sequence;

                // Checkpoints of the records verified so far (sequence 0: the empty chain).
                while (next is not null && next.Sequence < expected)
                {
                    if (!CryptographicOperations.FixedTimeEquals(next.ChainHash, previousHash))
                    {
                        return Broken(next.Sequence, AuditBreakReason.CheckpointMismatch, Mismatch(next));
                    }

                    (next, var problem) = await reader!.NextAsync();
                    if (problem is not null)
                    {
                        return Broken(expected, AuditBreakReason.CheckpointInvalid, problem);
                    }
                }

                if (sequence < expected)
                {
                    return AuditVerificationResult.Broken(count, expected - 1, sequence, AuditBreakReason.Duplicate,
                        $"record {sequence} appears again after record {expected - 1}").WithAnchors(hmacThrough, reader?.Count, reader?.Latest);
                }

                if (sequence > expected)
                {
                    var missing = sequence - 1 == expected ? $"record {expected} is missing" : $"records {expected} to {sequence - 1} are missing";
                    return Broken(expected, AuditBreakReason.Gap, missing);
                }

                var reason = AuditChainCheck.Check(hasher, previousHash, batch[index], hmacThrough);
                if (reason != AuditBreakReason.None)
                {
                    return Broken(sequence, reason, AuditChainCheck.Describe(reason, sequence));
                }

                // The check compared the stored hash with the computed one: it has the hash's length.
                batch[index].Hash.CopyTo(previousHash);
                expected++;
                count++;
                if ((count & (ProgressStep - 1)) == 0)
                {
                    progress?.Report(count);
                }
            }
        }

        var last = expected - 1;
        while (next is not null && next.Sequence <= last)
        {
            if (!CryptographicOperations.FixedTimeEquals(next.ChainHash, previousHash))
            {
                return Broken(next.Sequence, AuditBreakReason.CheckpointMismatch, Mismatch(next));
            }

            (next, var problem) = await reader!.NextAsync();
            if (problem is not null)
            {
                return Broken(last, AuditBreakReason.CheckpointInvalid, problem);
            }
        }

        if (next is not null)
        {
            // Checkpoints past the end: find the latest (checking the rest too) to name the gap.
            string? problem;
            AuditCheckpoint? later;
            do
            {
                (later, problem) = await reader!.NextAsync();
            }
            while (later is not null);

            return problem is not null
                ? Broken(last + 1, AuditBreakReason.CheckpointInvalid, problem)
                : Broken(last + 1, AuditBreakReason.BehindCheckpoint, BehindCheckpoint(reader!.Latest!, last));
        }

        if (reader is { Count: 0 } && last > hmacThrough)
        {
            return Broken(hmacThrough + 1, AuditBreakReason.CheckpointInvalid, string.Create(CultureInfo.InvariantCulture,
                $"no checkpoint covers the trail although records {hmacThrough + 1} to {last} were chained under checkpoints: the anchors were removed"));
        }

        return CheckHead(head, count, last, previousHash).WithAnchors(hmacThrough, reader?.Count, reader?.Latest);
    }

    /// <summary>Names the gap between a checkpoint and a chain that ends before it ("checkpoint at sequence 1,204,332, chain ends at 1,204,329: ...").</summary>
    internal static string BehindCheckpoint(AuditCheckpoint latest, long last) => string.Create(CultureInfo.InvariantCulture,
        $"{latest}, chain ends at {last:N0}: {(last == 0 ? "the whole trail was deleted" : "records were removed from the end")}");

    private static string Mismatch(AuditCheckpoint checkpoint) => string.Create(CultureInfo.InvariantCulture,
        $"record {checkpoint.Sequence:N0} does not match the {checkpoint} signed {checkpoint.TimeText}: the records up to it were changed and the chain recomputed, or replaced");

    private static AuditVerificationResult CheckHead(AuditChainHead? head, long count, long last, byte[] lastHash)
    {
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

        if (!CryptographicOperations.FixedTimeEquals(head.LastHash, lastHash))
        {
            return AuditVerificationResult.Broken(count, last, last, AuditBreakReason.HeadMismatch,
                $"the chain head's hash does not match record {last}");
        }

        return AuditVerificationResult.Intact(count, last);
    }
}
