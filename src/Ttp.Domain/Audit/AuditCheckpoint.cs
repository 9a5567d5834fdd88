using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ttp.Domain.Audit;

/// <summary>
/// A signed statement that the audit chain held <see cref="ChainHash"/> at record <see cref="Sequence"/> at
/// <see cref="Time"/>, linked to the checkpoint before it (AWS CloudTrail's digest files, for a hash chain). Written
/// outside the database (<see cref="AuditCheckpointFile"/>) and into exports, so that a chain cut short, wiped or
/// recomputed after a change no longer matches the latest one.
/// </summary>
/// <remarks>
/// <para>What is signed (<see cref="Payload"/>): the UTF-8 text below, each line ended by LF (0x0A), values as in the JSON
/// form (hex lower-case, decimal integers without sign or leading zeros, the time with six fraction digits):</para>
/// <code>
/// ttp-audit-checkpoint-v1
/// sequence=1204332
/// chain_hash=&lt;64 hex digits&gt;
/// time=2026-12-07T10:11:12.123456Z
/// previous=&lt;64 hex digits&gt;
/// hmac_through=0
/// key_id=&lt;64 hex digits&gt;
/// </code>
/// <para>The signature is ECDSA P-256 over SHA-256 of the payload, DER-encoded (RFC 3279), given in hex.
/// <see cref="ComputeHash"/> (the link the next checkpoint's <see cref="Previous"/> holds) is SHA-256 of the payload; the
/// first checkpoint's <see cref="Previous"/> is 32 zero bytes.</para>
/// </remarks>
public sealed class AuditCheckpoint
{
    /// <summary>The first line of the signed payload (format version 1).</summary>
    public const string PayloadHeader = "ttp-audit-checkpoint-v1";

    /// <summary>The time format of the payload and the JSON form (UTC, microseconds).</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>A checkpoint with its fields as given (<see cref="Sign"/> or <see cref="AuditCheckpointJson"/> make them).</summary>
    public AuditCheckpoint(long sequence, byte[] chainHash, DateTimeOffset time, byte[] previous, long hmacThrough, string keyId, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(chainHash);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfNegative(hmacThrough);
        if (chainHash.Length != AuditHash.Size || previous.Length != AuditHash.Size)
        {
            throw new ArgumentException("Checkpoint hashes are 32 bytes.");
        }

        Sequence = sequence;
        ChainHash = chainHash;
        Time = AuditRecord.TruncateToMicroseconds(time);
        Previous = previous;
        HmacThrough = hmacThrough;
        KeyId = keyId;
        Signature = signature;
    }

    /// <summary>The record the checkpoint covers (with every record before it); 0: the empty chain.</summary>
    public long Sequence { get; }

    /// <summary>That record's chain hash (32 zero bytes for sequence 0).</summary>
    public byte[] ChainHash { get; }

    /// <summary>When it was signed (UTC, microseconds).</summary>
    public DateTimeOffset Time { get; }

    /// <summary>SHA-256 of the previous checkpoint's payload; 32 zero bytes for the first.</summary>
    public byte[] Previous { get; }

    /// <summary>The last record chained with HMAC by the previous release (<see cref="AuditChainHead.HmacThrough"/>).</summary>
    public long HmacThrough { get; }

    /// <summary>The signing key's <see cref="AuditPublicKey.Fingerprint"/>.</summary>
    public string KeyId { get; }

    /// <summary>The DER-encoded ECDSA signature of <see cref="Payload"/>.</summary>
    public byte[] Signature { get; }

    /// <summary>The time as written in the payload and the JSON form.</summary>
    public string TimeText => Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Signs a new checkpoint.</summary>
    public static AuditCheckpoint Sign(AuditSigningKey key, AuditChainPosition covered, DateTimeOffset time, byte[] previous, long hmacThrough)
    {
        ArgumentNullException.ThrowIfNull(key);
        var unsigned = new AuditCheckpoint(covered.Sequence, covered.Hash, time, previous, hmacThrough, key.PublicKey.Fingerprint, []);
        return new AuditCheckpoint(covered.Sequence, covered.Hash, time, previous, hmacThrough, key.PublicKey.Fingerprint, key.Sign(unsigned.Payload()));
    }

    /// <summary>The signed payload (see the remarks).</summary>
    public byte[] Payload() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{PayloadHeader}\nsequence={Sequence}\nchain_hash={Convert.ToHexStringLower(ChainHash)}\ntime={TimeText}\n" +
        $"previous={Convert.ToHexStringLower(Previous)}\nhmac_through={HmacThrough}\nkey_id={KeyId}\n"));

    /// <summary>SHA-256 of <see cref="Payload"/>: what the next checkpoint's <see cref="Previous"/> holds.</summary>
    public byte[] ComputeHash() => SHA256.HashData(Payload());

    /// <summary>True when the signature verifies under <paramref name="key"/> and names that key.</summary>
    public bool IsSignedBy(AuditPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return string.Equals(KeyId, key.Fingerprint, StringComparison.Ordinal) && key.Verify(Payload(), Signature);
    }

    /// <summary>The position it covers.</summary>
    public AuditChainPosition Position => new(Sequence, ChainHash);

    /// <summary>"checkpoint at sequence 1,204,332" (for messages).</summary>
    public override string ToString() => $"checkpoint at sequence {Sequence.ToString("N0", CultureInfo.InvariantCulture)}";
}
