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
    public async Task<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var key = await auditKey.GetAsync(cancellationToken);
        var signing = await signingKey.GetAsync(cancellationToken);
        return await AuditVerifier.VerifyAsync(factory, key, anchors, signing.PublicKey, cancellationToken);
    }

    /// <summary>The public key that verifies the checkpoints (what auditors keep outside the TTP).</summary>
    public async Task<AuditPublicKey> PublicKeyAsync(CancellationToken cancellationToken = default) =>
        (await signingKey.GetAsync(cancellationToken)).PublicKey;
}
