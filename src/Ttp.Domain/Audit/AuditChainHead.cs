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
}
