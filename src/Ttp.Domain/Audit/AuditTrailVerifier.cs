using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Verifies the installation's audit trail with everything it has: the audit key (HMAC-chained records, record MACs),
/// the anchors file and the signing key's public half (<c>ttpctl audit verify</c>, the portal).
/// </summary>
public sealed class AuditTrailVerifier(
    IDbContextFactory<TtpDbContext> factory,
    AuditKeyHolder auditKey,
    AuditSigningKeyHolder signingKey,
    AuditCheckpointFile anchors)
{
    /// <summary>Verifies the chain and its checkpoints; a broken trail is a result (see <see cref="AuditVerificationResult.ThrowIfBroken"/>).</summary>
    /// <exception cref="IntegrityException">The audit key or the signing key is missing while the trail depends on it, or does not open.</exception>
    public Task<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default) => VerifyAsync(null, cancellationToken);

    /// <summary>
    /// As <see cref="VerifyAsync(CancellationToken)"/>, telling <paramref name="progress"/> the records verified so far every
    /// <see cref="AuditVerifier.ProgressStep"/> records (the background job, <see cref="AuditVerificationJob"/>).
    /// </summary>
    /// <exception cref="IntegrityException">The audit key or the signing key is missing while the trail depends on it, or does not open.</exception>
    public async Task<AuditVerificationResult> VerifyAsync(IProgress<long>? progress, CancellationToken cancellationToken = default)
    {
        var key = await auditKey.GetAsync(cancellationToken);
        var signing = await signingKey.GetAsync(cancellationToken);
        return await AuditVerifier.VerifyAsync(factory, key, anchors, signing.PublicKey, progress, cancellationToken);
    }

    /// <summary>
    /// The chain's last record in the database against the latest checkpoint, without walking the chain: names a cut
    /// tail or a wipe at once (a full verification names a changed record).
    /// </summary>
    /// <exception cref="IntegrityException">The signing key is missing while the trail depends on it, or does not open.</exception>
    public async Task<AuditAnchorStatus> AnchorStatusAsync(CancellationToken cancellationToken = default)
    {
        var signing = await signingKey.GetAsync(cancellationToken);
        AuditCheckpoint? latest;
        try
        {
            latest = anchors.ReadLatest();
        }
        catch (IntegrityException e)
        {
            return new AuditAnchorStatus(AuditAnchorState.CheckpointInvalid, 0, null, null, e.Message);
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var last = await db.AuditEvents.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
        return AuditAnchorStatus.Of(last, latest, signing.PublicKey);
    }

    /// <summary>The public key that verifies the checkpoints (what auditors keep outside the TTP).</summary>
    public async Task<AuditPublicKey> PublicKeyAsync(CancellationToken cancellationToken = default) =>
        (await signingKey.GetAsync(cancellationToken)).PublicKey;
}
