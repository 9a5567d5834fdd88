using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Integrity;

/// <summary>
/// The one-time conversion of an installation of the previous release: every TSM, certificate and scope entry without a
/// MAC gets one, in one audited transaction (all or nothing, so a failed run simply runs again). Then a marker file in
/// the data directory records that it is done; from then on a record without a valid MAC is rejected when loaded,
/// never given one.
/// </summary>
public sealed class AccessRecordUpgrade(
    IDbContextFactory<Data.TtpDbContext> factory,
    AuditedTransaction audited,
    RecordKeyHolder recordKey,
    IOptions<DataOptions> data,
    ILogger<AccessRecordUpgrade> logger)
{
    /// <summary>The marker's file name in the data directory.</summary>
    public const string MarkerFileName = "access-record-macs.done";

    /// <summary>The marker's full path.</summary>
    public string MarkerPath => UpgradeMarker.PathOf(data.Value, MarkerFileName);

    /// <summary>Authenticates the records of an older installation, once; returns how many this run authenticated.</summary>
    public Task<int> RunAsync(CancellationToken cancellationToken = default) =>
        new RecordMacConversion(factory, audited, recordKey, data.Value, MarkerFileName, "TSM, certificate and scope records carry MACs.").RunOnceAsync(
            async (db, ct) =>
            [
                .. await db.Tsms.Where(t => t.RecordMac == null).ToListAsync(ct),
                .. await db.TsmCertificates.Where(c => c.RecordMac == null).ToListAsync(ct),
                .. await db.Set<Tsms.TsmIssuerScope>().Where(s => s.RecordMac == null).ToListAsync(ct),
            ],
            rows => AuditRecord.StaffAction("integrity.records-authenticated", Actor.System, "access records", new { Records = rows.Count }),
            rows => IntegrityLog.RecordsAuthenticated(logger, rows.Count),
            cancellationToken);
}
