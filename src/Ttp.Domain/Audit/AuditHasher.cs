using System.Security.Cryptography;

namespace Ttp.Domain.Audit;

/// <summary>
/// Computes chain hashes (SHA-256; HMAC-SHA256 for records of the previous release) and record MACs with one instance of
/// each algorithm and one canonical buffer, for a batch or a verification run (the HMAC key schedule is set up once, not
/// per record). Without an audit key only the SHA-256 chain can be computed. Not thread-safe.
/// </summary>
internal sealed class AuditHasher : IDisposable
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash? _hmac;
    private byte[] _buffer = new byte[512];

    public AuditHasher(AuditKey? key) =>
        _hmac = key is null ? null : IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Bytes);

    /// <summary>SHA-256 chain hash of <paramref name="record"/> after <paramref name="previousHash"/>.</summary>
    public byte[] Compute(ReadOnlySpan<byte> previousHash, AuditEvent record) =>
        Compute(previousHash, record.Sequence, record.OccurredAt, (int)record.Stream, record.Action, record.Actor, record.Subject, record.Outcome, record.Details);

    /// <summary>SHA-256 chain hash of a record given by its fields.</summary>
    public byte[] Compute(
        ReadOnlySpan<byte> previousHash,
        long sequence,
        DateTimeOffset occurredAt,
        int stream,
        string action,
        string actor,
        string subject,
        string outcome,
        string details)
    {
        var length = AuditHash.WriteCanonical(ref _buffer, sequence, occurredAt, stream, action, actor, subject, outcome, details);
        return Finish(_sha256, previousHash, length);
    }

    /// <summary>HMAC-SHA256 chain hash of a record of the previous release.</summary>
    public byte[] ComputeHmac(ReadOnlySpan<byte> previousHash, AuditEvent record)
    {
        var hmac = Hmac;
        var length = AuditHash.WriteCanonical(
            ref _buffer, record.Sequence, record.OccurredAt, (int)record.Stream, record.Action, record.Actor, record.Subject, record.Outcome, record.Details);
        return Finish(hmac, previousHash, length);
    }

    /// <summary>
    /// The chain hash of a record read by the verifier into <paramref name="destination"/> (<see cref="AuditHash.Size"/>
    /// bytes): SHA-256, or HMAC-SHA256 when <paramref name="hmac"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A text field is not well-formed UTF-8.</exception>
    public void Compute(ReadOnlySpan<byte> previousHash, AuditRowView row, bool hmac, Span<byte> destination)
    {
        var hash = hmac ? Hmac : _sha256;
        var length = AuditHash.WriteCanonical(
            ref _buffer, row.Sequence, row.OccurredAtMicroseconds, row.Stream, row.Action, row.Actor, row.Subject, row.Outcome, row.Details);
        hash.AppendData(previousHash);
        hash.AppendData(_buffer, 0, length);
        hash.GetHashAndReset(destination);
    }

    /// <summary><c>HMAC-SHA256(audit key, hash)</c> into <paramref name="destination"/> (<see cref="AuditHash.Size"/> bytes).</summary>
    public void ComputeMac(ReadOnlySpan<byte> hash, Span<byte> destination)
    {
        var hmac = Hmac;
        hmac.AppendData(hash);
        hmac.GetHashAndReset(destination);
    }

    /// <summary><c>HMAC-SHA256(audit key, hash)</c>: the record's MAC.</summary>
    public byte[] ComputeMac(ReadOnlySpan<byte> hash)
    {
        var mac = new byte[AuditHash.Size];
        ComputeMac(hash, mac);
        return mac;
    }

    public void Dispose()
    {
        _sha256.Dispose();
        _hmac?.Dispose();
    }

    private IncrementalHash Hmac => _hmac ?? throw new InvalidOperationException("The audit key is needed for HMAC-chained records and record MACs.");

    private byte[] Finish(IncrementalHash hash, ReadOnlySpan<byte> previousHash, int length)
    {
        hash.AppendData(previousHash);
        hash.AppendData(_buffer, 0, length);
        var result = new byte[AuditHash.Size];
        hash.GetHashAndReset(result);
        return result;
    }
}
