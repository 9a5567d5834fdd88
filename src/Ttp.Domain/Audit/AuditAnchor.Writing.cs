using System.Globalization;
using System.Security.Cryptography;

namespace Ttp.Domain.Audit;

/// <summary>How <see cref="AuditAnchor"/> decides what a checkpoint covers, and writes it.</summary>
public sealed partial class AuditAnchor
{
    private async Task<AuditCheckpoint?> WriteAsync(AuditChainPosition? target, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_segments.Count == 0 && target is null)
            {
                return null;
            }
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            List<KeyValuePair<long, Segment>> pending;
            lock (_sync)
            {
                pending = [.. _segments];
                _segments.Clear();
            }

            var latest = File.ReadLatest() ?? throw new IntegrityException(
                $"The anchors file {File.Path} holds no checkpoint: the audit trail was not anchored yet (ttpctl init), or the anchors were removed");
            var trusted = _trusted is { } known && known.Sequence > latest.Sequence ? known : latest.Position;
            var (reached, problem) = await AdvanceAsync(trusted, pending, target, latest.HmacThrough, cancellationToken);
            _trusted = reached;
            AuditCheckpoint? written = null;
            if (reached.Sequence > latest.Sequence)
            {
                var signingKey = await _signingKey(cancellationToken);
                var now = _time.GetUtcNow();
                written = await File.AppendAsync(
                    current => current is null || current.Sequence >= reached.Sequence
                        ? null
                        : AuditCheckpoint.Sign(signingKey, reached, now, current.ComputeHash(), current.HmacThrough),
                    create: false,
                    cancellationToken);
                Volatile.Write(ref _lastWrittenTicks, now.UtcTicks);
            }

            return problem is null ? written : throw problem;
        }
        finally
        {
            _gate.Release();
        }
    }

    // From a trusted position, follow this process's appends (which continue one another) and verify whatever lies
    // between them in the database; stop at the first record that fails.
    private async Task<(AuditChainPosition Reached, IntegrityException? Problem)> AdvanceAsync(
        AuditChainPosition trusted, List<KeyValuePair<long, Segment>> pending, AuditChainPosition? target, long hmacThrough, CancellationToken cancellationToken)
    {
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        AuditKey? auditKey = null;
        try
        {
            foreach (var (start, segment) in pending)
            {
                if (segment.End.Sequence <= trusted.Sequence)
                {
                    continue;
                }

                if (start == trusted.Sequence && CryptographicOperations.FixedTimeEquals(segment.StartHash, trusted.Hash))
                {
                    trusted = segment.End;
                    continue;
                }

                auditKey ??= await _auditKey(cancellationToken);
                trusted = Expect(await AuditChainCheck.VerifyStretchAsync(db, auditKey, trusted, segment.End.Sequence, hmacThrough, cancellationToken), segment.End,
                    "is not the record this process appended: the trail was changed meanwhile");
            }

            if (target is { } head && head.Sequence > trusted.Sequence)
            {
                auditKey ??= await _auditKey(cancellationToken);
                trusted = Expect(await AuditChainCheck.VerifyStretchAsync(db, auditKey, trusted, head.Sequence, hmacThrough, cancellationToken), head,
                    "does not match the chain head");
            }

            return (trusted, null);
        }
        catch (IntegrityException problem)
        {
            return (trusted, problem);
        }
    }

    private static AuditChainPosition Expect(AuditChainPosition reached, AuditChainPosition expected, string problem) =>
        CryptographicOperations.FixedTimeEquals(reached.Hash, expected.Hash)
            ? reached
            : throw new IntegrityException(string.Create(CultureInfo.InvariantCulture, $"record {expected.Sequence} {problem}"));
}
