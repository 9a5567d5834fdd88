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
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (UpgradeMarker.IsDone(data.Value, MarkerFileName))
        {
            return 0;
        }

        var authenticator = await recordKey.GetAsync(cancellationToken);
        await using (var probe = await factory.CreateDbContextAsync(cancellationToken))
        {
            if (!await probe.Tsms.AnyAsync(t => t.RecordMac == null, cancellationToken)
                && !await probe.TsmCertificates.AnyAsync(c => c.RecordMac == null, cancellationToken)
                && !await probe.Set<Tsms.TsmIssuerScope>().AnyAsync(s => s.RecordMac == null, cancellationToken))
            {
                await UpgradeMarker.MarkDoneAsync(data.Value, MarkerFileName, "TSM, certificate and scope records carry MACs.", cancellationToken);
                return 0;
            }
        }

        var count = await audited.RunAsync(async db =>
        {
            List<IAuthenticatedRecord> records =
            [
                .. await db.Tsms.Where(t => t.RecordMac == null).ToListAsync(cancellationToken),
                .. await db.TsmCertificates.Where(c => c.RecordMac == null).ToListAsync(cancellationToken),
                .. await db.Set<Tsms.TsmIssuerScope>().Where(s => s.RecordMac == null).ToListAsync(cancellationToken),
            ];
            foreach (var record in records)
            {
                authenticator.Seal(record);
            }

            return (records.Count, AuditRecord.StaffAction("integrity.records-authenticated", Actor.System, "access records", new { Records = records.Count }));
        }, cancellationToken);
        IntegrityLog.RecordsAuthenticated(logger, count);
        await UpgradeMarker.MarkDoneAsync(data.Value, MarkerFileName, "TSM, certificate and scope records carry MACs.", cancellationToken);
        return count;
    }
}
