using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Integrity;

/// <summary>
/// Raises an integrity failure of a stored record (an access record whose MAC fails): logged at Critical and audited
/// (action <see cref="RecordRejectedAction"/>, actor system), once per distinct damaged row and value in this process,
/// naming the row, never a key. A singleton.
/// </summary>
public sealed class IntegrityAlarm(AuditWriter audit, ILogger<IntegrityAlarm> logger)
{
    /// <summary>The audit action of a rejected access record.</summary>
    public const string RecordRejectedAction = "integrity.record-rejected";

    private readonly ConcurrentDictionary<string, byte> _raised = new(StringComparer.Ordinal);

    /// <summary>Reports records that failed their check and were left out (fail closed).</summary>
    internal async Task RecordsRejectedAsync(IReadOnlyList<IAuthenticatedRecord> rejected, CancellationToken cancellationToken)
    {
        foreach (var record in rejected)
        {
            var description = record.Describe();
            var key = description + "|" + (record.RecordMac is { } mac ? Convert.ToHexString(mac) : "none");
            if (!_raised.TryAdd(key, 0))
            {
                continue;
            }

            IntegrityLog.RecordRejected(logger, description);
            try
            {
                await audit.AppendAsync(
                    AuditRecord.StaffAction(RecordRejectedAction, Actor.System, description, new { Reason = "the record's MAC does not match its values: changed outside the product, copied or re-pointed; it is treated as absent" }, "rejected"),
                    cancellationToken);
            }
            catch (AuditUnavailableException e)
            {
                // Raise it again at the next load: the record stays rejected either way.
                _raised.TryRemove(key, out _);
                IntegrityLog.AlarmNotRecorded(logger, description, e);
            }
        }
    }
}
