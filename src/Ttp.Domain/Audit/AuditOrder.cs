namespace Ttp.Domain.Audit;

/// <summary>The order of an audit search's pages, by sequence (the order of the chain).</summary>
public enum AuditOrder
{
    /// <summary>Highest sequence first; the keyset cursor is the sequence to go below.</summary>
    NewestFirst = 0,

    /// <summary>Lowest sequence first; the keyset cursor is the sequence to go above.</summary>
    OldestFirst = 1,
}
