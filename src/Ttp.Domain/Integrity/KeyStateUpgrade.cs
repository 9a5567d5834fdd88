using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;

namespace Ttp.Domain.Integrity;

/// <summary>
/// The one-time conversion of an installation whose KEKs and issuer key sets carry no MAC (every release before key
/// states were authenticated, including one whose access records were converted already by
/// <see cref="AccessRecordUpgrade"/>): each such row gets one, in one audited transaction (all or nothing, so a failed
/// run simply runs again). Then a marker file of its own in the data directory records that it is done; from then on a
/// KEK or key set without a valid MAC is rejected when loaded, never given one.
/// </summary>
public sealed class KeyStateUpgrade(
    IDbContextFactory<Data.TtpDbContext> factory,
    AuditedTransaction audited,
    RecordKeyHolder recordKey,
    IOptions<DataOptions> data,
    ILogger<KeyStateUpgrade> logger)
{
    /// <summary>The marker's file name in the data directory (not the access records' marker: that one is older).</summary>
    public const string MarkerFileName = "key-state-macs.done";

    /// <summary>The audit action of the conversion.</summary>
    public const string AuthenticatedAction = "integrity.key-states-authenticated";

    private const string MarkerText = "KEK and issuer key set records (state and version) carry MACs.";

    /// <summary>The marker's full path.</summary>
    public string MarkerPath => UpgradeMarker.PathOf(data.Value, MarkerFileName);

    /// <summary>Authenticates the KEKs and key sets of an older installation, once; returns how many this run authenticated.</summary>
    public Task<int> RunAsync(CancellationToken cancellationToken = default) =>
        new RecordMacConversion(factory, audited, recordKey, data.Value, MarkerFileName, MarkerText).RunOnceAsync(
            async (db, ct) =>
            [
                .. await db.Keks.Where(k => k.RecordMac == null).ToListAsync(ct),
                .. await db.IssuerKeySets.Where(k => k.RecordMac == null).ToListAsync(ct),
            ],
            rows => AuditRecord.StaffAction(AuthenticatedAction, Actor.System, "KEKs and issuer key sets", new { Keks = rows.OfType<Keks.Kek>().Count(), KeySets = rows.OfType<IssuerKeys.IssuerKeySet>().Count() }),
            rows => IntegrityLog.KeyStatesAuthenticated(logger, rows.OfType<Keks.Kek>().Count(), rows.OfType<IssuerKeys.IssuerKeySet>().Count()),
            cancellationToken);
}
