namespace Ttp.Domain.Integrity;

/// <summary>
/// Guards a staff action that moves an authenticated record (a KEK, an issuer key set) to a state from which it can
/// serve again: the record must still match its MAC, or the action would re-seal values a database writer set (a retired
/// key set set to Suspended, then reinstated). Refused as an <see cref="IntegrityException"/> and raised once through
/// <see cref="IntegrityAlarm"/> (outside the transaction, which rolls back). Retirement is not guarded: it only narrows.
/// A singleton.
/// </summary>
public sealed class AuthenticRecordChange(AuditedTransaction audited, RecordKeyHolder recordKey, IntegrityAlarm alarm)
{
    /// <summary>
    /// Runs <paramref name="change"/> in an audited transaction; it calls the check it is given with the tracked record
    /// before changing it.
    /// </summary>
    internal async Task<T> RunAsync<T>(
        Func<Data.TtpDbContext, Func<IAuthenticatedRecord, Task>, Task<(T Result, Audit.AuditRecord Record)>> change, CancellationToken cancellationToken)
    {
        IAuthenticatedRecord? refused = null;
        try
        {
            return await audited.RunAsync(db => change(db, async record =>
            {
                var authenticator = await recordKey.GetAsync(cancellationToken);
                if (!authenticator.IsAuthentic(record))
                {
                    refused = record;
                    throw new IntegrityException(
                        $"{record.Describe()} does not match its MAC: it was changed outside the product; its state cannot be changed, only retired");
                }
            }), cancellationToken);
        }
        catch (IntegrityException) when (refused is not null)
        {
            await alarm.RecordsRejectedAsync([refused], cancellationToken);
            throw;
        }
    }
}
