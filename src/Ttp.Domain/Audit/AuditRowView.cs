namespace Ttp.Domain.Audit;

/// <summary>
/// One record of an <see cref="AuditRowBatch"/>: the stored values the chain hash covers (text fields as their stored
/// UTF-8 bytes, the instant in UTC microseconds), its hash and its MAC. Valid until the batch is cleared.
/// </summary>
internal readonly ref struct AuditRowView(AuditRowBatch batch, int index)
{
    public long Sequence => batch.SequenceAt(index);

    /// <summary>UTC microseconds since the Unix epoch, as hashed.</summary>
    public long OccurredAtMicroseconds => batch.OccurredAtAt(index);

    public int Stream => batch.StreamAt(index);

    public ReadOnlySpan<byte> Action => batch.FieldAt(index, AuditRowBatch.Action);

    public ReadOnlySpan<byte> Actor => batch.FieldAt(index, AuditRowBatch.Actor);

    public ReadOnlySpan<byte> Subject => batch.FieldAt(index, AuditRowBatch.Subject);

    public ReadOnlySpan<byte> Outcome => batch.FieldAt(index, AuditRowBatch.Outcome);

    public ReadOnlySpan<byte> Details => batch.FieldAt(index, AuditRowBatch.Details);

    public ReadOnlySpan<byte> Hash => batch.FieldAt(index, AuditRowBatch.Hash);

    public ReadOnlySpan<byte> Mac => batch.FieldAt(index, AuditRowBatch.Mac);

    public bool HasMac => !batch.IsNull(index, AuditRowBatch.Mac);

    /// <summary>False when a field the chain hash covers, or the hash, is NULL (a record the TTP cannot have written).</summary>
    public bool IsComplete
    {
        get
        {
            for (var column = AuditRowBatch.Action; column <= AuditRowBatch.Hash; column++)
            {
                if (batch.IsNull(index, column))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
