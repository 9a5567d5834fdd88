using System.Security.Cryptography;

namespace Ttp.Domain.Audit;

/// <summary>
/// Computes chain hashes with one HMAC instance and one canonical buffer, for a batch or a verification run (the key
/// schedule is set up once, not per record). Not thread-safe.
/// </summary>
internal sealed class AuditHasher : IDisposable
{
    private readonly IncrementalHash _hmac;
    private byte[] _buffer = new byte[512];

    public AuditHasher(AuditKey key) => _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Bytes);

    public byte[] Compute(ReadOnlySpan<byte> previousHash, AuditEvent record) =>
        Compute(previousHash, record.Sequence, record.OccurredAt, (int)record.Stream, record.Action, record.Actor, record.Subject, record.Outcome, record.Details);

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
        _hmac.AppendData(previousHash);
        _hmac.AppendData(_buffer, 0, length);
        var hash = new byte[AuditHash.Size];
        _hmac.GetHashAndReset(hash);
        return hash;
    }

    public void Dispose() => _hmac.Dispose();
}
