using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Ttp.Domain.Audit;
using Ttp.Domain.Metrics;

namespace Ttp.Domain.Integrity;

/// <summary>
/// Raises an integrity failure of a stored record (an access record whose MAC fails, a key envelope that does not open
/// with its record's attributes): logged at Critical and audited (actor system), once per distinct damaged row and
/// value in this process, naming the row, never a key, and counted
/// (<c>ttp_integrity_failures_total</c>). A singleton.
/// </summary>
public sealed class IntegrityAlarm(AuditWriter audit, TtpMetrics metrics, ILogger<IntegrityAlarm> logger)
{
    /// <summary>The audit action of a rejected access record.</summary>
    public const string RecordRejectedAction = "integrity.record-rejected";

    /// <summary>The audit action of a stored key whose envelope does not open for its record.</summary>
    public const string KeyDamagedAction = "integrity.key-damaged";

    private readonly ConcurrentDictionary<string, byte> _raised = new(StringComparer.Ordinal);

    /// <summary>Reports records that failed their check and were left out (fail closed).</summary>
    internal async Task RecordsRejectedAsync(IReadOnlyList<IAuthenticatedRecord> rejected, CancellationToken cancellationToken)
    {
        foreach (var record in rejected)
        {
            var description = record.Describe();
            var value = record.RecordMac is { } mac ? Convert.ToHexString(mac) : "none";
            await RaiseAsync(
                RecordRejectedAction, description, value,
                "the record's MAC does not match its values: changed outside the product, copied or re-pointed; it is treated as absent",
                () => IntegrityLog.RecordRejected(logger, description),
                cancellationToken);
        }
    }

    /// <summary>Reports a stored key whose envelope does not open for its record (<paramref name="problem"/> names the record).</summary>
    /// <param name="description">Which record, e.g. "issuer key set IIN 000001 KVN 1".</param>
    /// <param name="envelopeDigest">Distinguishes one damaged value from the next (a digest of the stored envelope, not a key).</param>
    /// <param name="problem">Why it does not open (from <see cref="IntegrityException"/>; never key bytes).</param>
    /// <param name="cancellationToken">Cancels the audit append.</param>
    internal Task StoredKeyDamagedAsync(string description, string envelopeDigest, string problem, CancellationToken cancellationToken) =>
        RaiseAsync(KeyDamagedAction, description, envelopeDigest, problem, () => IntegrityLog.KeyDamaged(logger, description, problem), cancellationToken);

    /// <summary>
    /// Reports a staff authenticator secret or recovery-code list stored in clear after the one-time conversion (written
    /// with SQL or from an old backup): ignored by the store, never converted.
    /// </summary>
    internal Task ClearStaffSecretRefusedAsync(string description, CancellationToken cancellationToken) =>
        RaiseAsync(RecordRejectedAction, description, "clear",
            "a staff secret in clear after the conversion: written outside the product; ignored (the sealed secret stays), never converted",
            () => IntegrityLog.ClearStaffSecret(logger, description),
            cancellationToken);

    private async Task RaiseAsync(string action, string description, string value, string reason, Action log, CancellationToken cancellationToken)
    {
        var key = action + "|" + description + "|" + value;
        if (!_raised.TryAdd(key, 0))
        {
            return;
        }

        metrics.IntegrityFailure();
        log();
        try
        {
            await audit.AppendAsync(AuditRecord.StaffAction(action, Actor.System, description, new { Reason = reason }, "rejected"), cancellationToken);
        }
        catch (AuditUnavailableException e)
        {
            // Raise it again at the next check: the record stays refused either way.
            _raised.TryRemove(key, out _);
            IntegrityLog.AlarmNotRecorded(logger, description, e);
        }
    }
}
