using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// The start-up step of the anchored audit trail (<see cref="DomainInitializer"/>): loads the signing key (an integrity
/// failure when it was deleted), and on an installation not anchored yet (new, or of the previous release: HMAC-chained
/// records, no signing key, no anchors) creates the key, writes the first checkpoint covering the existing head, and
/// records that in the trail. Afterwards, checkpoints whatever a crash or stop left uncovered.
/// </summary>
public sealed class AuditTrailAnchoring(
    IDbContextFactory<TtpDbContext> factory,
    AuditSigningKeyHolder signingKey,
    AuditAnchor anchor,
    AuditedTransaction audited,
    ILogger<AuditTrailAnchoring> logger)
{
    /// <summary>The audit action that records the first checkpoint.</summary>
    public const string AnchoredAction = "audit.anchored";

    /// <summary>Anchors the trail when needed.</summary>
    /// <returns>The signing key's fingerprint.</returns>
    /// <exception cref="IntegrityException">The signing key was deleted or does not open, or the anchors file holds no
    /// checkpoint although the trail was anchored.</exception>
    public async Task<string> RunAsync(CancellationToken cancellationToken = default)
    {
        var key = await signingKey.GetAsync(cancellationToken);
        var fingerprint = key.PublicKey.Fingerprint;
        if (anchor.File.ReadLatest() is not null)
        {
            await anchor.TryCheckpointHeadAsync(cancellationToken);
            return fingerprint;
        }

        long hmacThrough;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            hmacThrough = await db.AuditChainHeads.AsNoTracking().Select(h => h.HmacThrough).SingleAsync(cancellationToken);
            if (await db.AuditEvents.AnyAsync(e => e.Sequence > hmacThrough, cancellationToken))
            {
                throw new IntegrityException(
                    $"The anchors file {anchor.File.Path} holds no checkpoint although the audit trail holds records chained after record {hmacThrough} " +
                    "under checkpoints: the anchors were removed, or Ttp:Audit:AnchorsDirectory names another directory. Restore the anchors directory; a new first checkpoint would hide a change");
            }
        }

        var first = await anchor.BeginAsync(cancellationToken);
        if (first is null)
        {
            // Another process anchored it meanwhile.
            return fingerprint;
        }

        await audited.RunAsync(
            _ => Task.FromResult((0, AuditRecord.StaffAction(AnchoredAction, Actor.System, "audit",
                new { HmacThrough = hmacThrough, FirstCheckpoint = first.Sequence, SigningKey = fingerprint }))),
            cancellationToken);
        Log.TrailAnchored(logger, hmacThrough, fingerprint, anchor.File.Path);
        return fingerprint;
    }
}
