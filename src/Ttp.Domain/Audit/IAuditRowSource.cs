namespace Ttp.Domain.Audit;

/// <summary>Every audit record in sequence order, batch by batch (<see cref="AuditRowReader"/>).</summary>
internal interface IAuditRowSource : IDisposable
{
    /// <summary>Adds records to <paramref name="batch"/> until it is full; false when the trail ended (the batch may still hold records).</summary>
    bool Fill(AuditRowBatch batch);
}
