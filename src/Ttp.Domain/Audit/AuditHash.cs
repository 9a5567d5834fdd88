using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Ttp.Domain.Audit;

/// <summary>
/// The canonical form of an audit record and its chain hash, <c>hash(n) = SHA-256(hash(n-1) || canonical(n))</c>, with
/// <c>hash(0)</c> = 32 zero bytes (<see cref="Genesis"/>): recomputable by anyone, without a secret. Records of the
/// previous release (up to <see cref="AuditChainHead.HmacThrough"/>) carry
/// <c>HMAC-SHA256(audit key, hash(n-1) || canonical(n))</c> instead, over the same canonical form; the SHA-256 chain
/// continues from the last of them.
/// </summary>
/// <remarks>
/// <para>The canonical form (version 1) covers every field of <see cref="AuditEvent"/> but the hash and MAC, in this order:</para>
/// <list type="table">
/// <item><term>version</term><description>1 byte, <c>0x01</c></description></item>
/// <item><term>sequence</term><description>signed 64-bit integer, big-endian</description></item>
/// <item><term>occurred at</term><description>signed 64-bit integer, big-endian: microseconds since
/// 1970-01-01T00:00:00Z (UTC)</description></item>
/// <item><term>stream</term><description>signed 32-bit integer, big-endian: the <see cref="AuditStream"/> value</description></item>
/// <item><term>action, actor, subject, outcome, details</term><description>each: its length in bytes as an unsigned
/// 32-bit integer, big-endian, then its UTF-8 bytes (no BOM, no normalization; details is the stored JSON text
/// byte for byte)</description></item>
/// </list>
/// <para>Every variable field is length-prefixed, so no two different records share a canonical form. The sequence
/// is inside the hash and each hash covers its predecessor, so that changing, removing, inserting or reordering a record
/// breaks the chain from that record on; a signed checkpoint (<see cref="AuditCheckpoint"/>) pins the chain's hash at a
/// sequence, so that a chain recomputed after a change, or cut short, no longer matches it. Each SHA-256-chained record
/// also carries <see cref="AuditEvent.Mac"/> (<see cref="ComputeMac"/>), which only the TTP can compute.</para>
/// </remarks>
public static class AuditHash
{
    /// <summary>Length of a hash in bytes (SHA-256, HMAC-SHA256).</summary>
    public const int Size = 32;

    /// <summary>Version byte at the start of the canonical form.</summary>
    public const byte CanonicalVersion = 1;

    private const int FixedLength = 1 + 8 + 8 + 4 + (5 * 4);

    private static readonly byte[] GenesisHash = new byte[Size];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The "previous hash" of the first record: 32 zero bytes.</summary>
    public static ReadOnlySpan<byte> Genesis => GenesisHash;

    /// <summary>The canonical form of <paramref name="record"/> (its <see cref="AuditEvent.Hash"/> is not part of it).</summary>
    public static byte[] GetCanonicalBytes(AuditEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = Array.Empty<byte>();
        var length = WriteCanonical(ref buffer, record.Sequence, record.OccurredAt, (int)record.Stream, record.Action, record.Actor, record.Subject, record.Outcome, record.Details);
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>
    /// <c>SHA-256(previousHash || canonical(record))</c>: the hash <paramref name="record"/> must carry when it follows a
    /// record whose hash is <paramref name="previousHash"/>.
    /// </summary>
    public static byte[] ComputeSha256(ReadOnlySpan<byte> previousHash, AuditEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var hasher = new AuditHasher(null);
        return hasher.Compute(previousHash, record);
    }

    /// <summary>
    /// <c>HMAC-SHA256(key, previousHash || canonical(record))</c>: the hash of a record written by the previous release
    /// (up to <see cref="AuditChainHead.HmacThrough"/>).
    /// </summary>
    public static byte[] ComputeHmac(AuditKey key, ReadOnlySpan<byte> previousHash, AuditEvent record)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(record);
        using var hasher = new AuditHasher(key);
        return hasher.ComputeHmac(previousHash, record);
    }

    /// <summary><c>HMAC-SHA256(key, hash)</c>: the <see cref="AuditEvent.Mac"/> of a SHA-256-chained record with this hash.</summary>
    public static byte[] ComputeMac(AuditKey key, ReadOnlySpan<byte> hash)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var hasher = new AuditHasher(key);
        return hasher.ComputeMac(hash);
    }

    /// <summary>Writes the canonical form into <paramref name="buffer"/> (grown as needed); returns its length.</summary>
    internal static int WriteCanonical(
        ref byte[] buffer,
        long sequence,
        DateTimeOffset occurredAt,
        int stream,
        string action,
        string actor,
        string subject,
        string outcome,
        string details)
    {
        var length = FixedLength
            + StrictUtf8.GetByteCount(action)
            + StrictUtf8.GetByteCount(actor)
            + StrictUtf8.GetByteCount(subject)
            + StrictUtf8.GetByteCount(outcome)
            + StrictUtf8.GetByteCount(details);
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        var span = buffer.AsSpan();
        span[0] = CanonicalVersion;
        BinaryPrimitives.WriteInt64BigEndian(span[1..], sequence);
        BinaryPrimitives.WriteInt64BigEndian(span[9..], ToUnixMicroseconds(occurredAt));
        BinaryPrimitives.WriteInt32BigEndian(span[17..], stream);
        var offset = 21;
        offset = WriteText(span, offset, action);
        offset = WriteText(span, offset, actor);
        offset = WriteText(span, offset, subject);
        offset = WriteText(span, offset, outcome);
        offset = WriteText(span, offset, details);
        return offset;
    }

    /// <summary>
    /// As the other overload, from the stored values: the instant in microseconds and each text field as its stored UTF-8
    /// bytes, hashed as stored rather than decoded and encoded again (the verifier's path, <see cref="AuditRowView"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A field is not well-formed UTF-8: the TTP cannot have written it.</exception>
    internal static int WriteCanonical(
        ref byte[] buffer,
        long sequence,
        long occurredAtMicroseconds,
        int stream,
        ReadOnlySpan<byte> action,
        ReadOnlySpan<byte> actor,
        ReadOnlySpan<byte> subject,
        ReadOnlySpan<byte> outcome,
        ReadOnlySpan<byte> details)
    {
        if (!System.Text.Unicode.Utf8.IsValid(action) || !System.Text.Unicode.Utf8.IsValid(actor) || !System.Text.Unicode.Utf8.IsValid(subject)
            || !System.Text.Unicode.Utf8.IsValid(outcome) || !System.Text.Unicode.Utf8.IsValid(details))
        {
            throw new ArgumentException("A text field is not well-formed UTF-8.");
        }

        var length = FixedLength + action.Length + actor.Length + subject.Length + outcome.Length + details.Length;
        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        var span = buffer.AsSpan();
        span[0] = CanonicalVersion;
        BinaryPrimitives.WriteInt64BigEndian(span[1..], sequence);
        BinaryPrimitives.WriteInt64BigEndian(span[9..], occurredAtMicroseconds);
        BinaryPrimitives.WriteInt32BigEndian(span[17..], stream);
        var offset = 21;
        offset = WriteBytes(span, offset, action);
        offset = WriteBytes(span, offset, actor);
        offset = WriteBytes(span, offset, subject);
        offset = WriteBytes(span, offset, outcome);
        return WriteBytes(span, offset, details);
    }

    /// <summary>Microseconds since the Unix epoch (UTC), as the canonical form and the SQLite column hold them.</summary>
    internal static long ToUnixMicroseconds(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static int WriteBytes(Span<byte> span, int offset, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(span[offset..], (uint)value.Length);
        value.CopyTo(span[(offset + 4)..]);
        return offset + 4 + value.Length;
    }

    private static int WriteText(Span<byte> span, int offset, string value)
    {
        var written = StrictUtf8.GetBytes(value, span[(offset + 4)..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[offset..], (uint)written);
        return offset + 4 + written;
    }
}
