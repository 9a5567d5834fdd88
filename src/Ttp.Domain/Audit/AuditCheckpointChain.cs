using System.Globalization;
using System.Security.Cryptography;

namespace Ttp.Domain.Audit;

/// <summary>
/// The rules a sequence of checkpoints follows, checked one checkpoint at a time (the anchors file, an export): each is
/// signed by the audit signing key and names it, links to the one before it (SHA-256 of its payload; the first of the
/// anchors file to 32 zero bytes), covers a later record than the one before it, and names the same HMAC transition.
/// </summary>
internal sealed class AuditCheckpointChain(AuditPublicKey key, bool linkedFromStart)
{
    /// <summary>The last checkpoint accepted.</summary>
    public AuditCheckpoint? Last { get; private set; }

    /// <summary>How many were accepted.</summary>
    public int Count { get; private set; }

    /// <summary>Checks <paramref name="checkpoint"/> as the next one; returns the problem, or null when it is accepted.</summary>
    public string? Accept(AuditCheckpoint checkpoint)
    {
        if (!string.Equals(checkpoint.KeyId, key.Fingerprint, StringComparison.Ordinal))
        {
            return $"the {checkpoint} names signing key {checkpoint.KeyId}, not the audit signing key {key.Fingerprint}";
        }

        if (!checkpoint.IsSignedBy(key))
        {
            return $"the signature of the {checkpoint} does not verify: the checkpoint was changed or forged";
        }

        if (Last is { } last)
        {
            if (!CryptographicOperations.FixedTimeEquals(checkpoint.Previous, last.ComputeHash()))
            {
                return $"the {checkpoint} does not follow the {last}: a checkpoint between them was removed or changed";
            }

            if (checkpoint.Sequence <= last.Sequence)
            {
                return $"the {checkpoint} does not cover more than the {last} before it";
            }

            if (checkpoint.HmacThrough != last.HmacThrough)
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"the {checkpoint} names HMAC-chained records up to {checkpoint.HmacThrough}, the checkpoints before it up to {last.HmacThrough}");
            }
        }
        else if (linkedFromStart && checkpoint.Previous.AsSpan().ContainsAnyExcept((byte)0))
        {
            return $"the first checkpoint ({checkpoint}) links to one before it: earlier checkpoints were removed";
        }

        Last = checkpoint;
        Count++;
        return null;
    }
}
