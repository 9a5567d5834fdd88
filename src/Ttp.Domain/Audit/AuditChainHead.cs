namespace Ttp.Domain.Audit;

/// <summary>
/// The single row that holds the end of the chain. Every append locks it (row lock in PostgreSQL, the write lock in
/// SQLite), so that appends from any writer, process or node form one sequence.
/// </summary>
public sealed class AuditChainHead
{
    /// <summary>The id of the one head row.</summary>
    public const int SingletonId = 1;

    /// <summary>Always <see cref="SingletonId"/>.</summary>
    public int Id { get; set; } = SingletonId;

    /// <summary>Sequence of the last record; 0 before the first.</summary>
    public long LastSequence { get; set; }

    /// <summary>Hash of the last record; 32 zero bytes before the first.</summary>
    public byte[] LastHash { get; set; } = new byte[32];

    /// <summary>
    /// The last record chained with HMAC-SHA256 by the previous release (set once by the migration that introduced the
    /// SHA-256 chain: the head's sequence then; 0 on an installation created since). Later records are SHA-256 chained.
    /// Every checkpoint signs this value too, so that a change here is detected.
    /// </summary>
    public long HmacThrough { get; set; }
}
