using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Domain.Integrity;

/// <summary>
/// The run both one-time MAC conversions share (<see cref="AccessRecordUpgrade"/>, <see cref="KeyStateUpgrade"/>): unless
/// its marker file exists, every row without a MAC gets one in one audited transaction (all or nothing, so a failed run
/// simply runs again), then the marker is written; from then on a row without a valid MAC is rejected, never given one.
/// </summary>
/// <param name="Factory">The database.</param>
/// <param name="Audited">The audited transaction that seals the rows and records the conversion.</param>
/// <param name="RecordKey">The record key.</param>
/// <param name="Data">Where the marker lives.</param>
/// <param name="MarkerFileName">The conversion's own marker.</param>
/// <param name="MarkerText">What the marker says is done.</param>
internal sealed record RecordMacConversion(
    IDbContextFactory<TtpDbContext> Factory, AuditedTransaction Audited, RecordKeyHolder RecordKey, DataOptions Data, string MarkerFileName, string MarkerText)
{
    /// <summary>
    /// Runs the conversion once: <paramref name="unauthenticated"/> loads the rows without a MAC (tracked),
    /// <paramref name="record"/> makes the audit record of the sealed rows, <paramref name="log"/> logs them.
    /// </summary>
    public async Task<int> RunOnceAsync(
        Func<TtpDbContext, CancellationToken, Task<List<IAuthenticatedRecord>>> unauthenticated,
        Func<IReadOnlyList<IAuthenticatedRecord>, AuditRecord> record,
        Action<IReadOnlyList<IAuthenticatedRecord>> log,
        CancellationToken cancellationToken)
    {
        if (UpgradeMarker.IsDone(Data, MarkerFileName))
        {
            return 0;
        }

        var authenticator = await RecordKey.GetAsync(cancellationToken);
        await using (var probe = await Factory.CreateDbContextAsync(cancellationToken))
        {
            if ((await unauthenticated(probe, cancellationToken)).Count == 0)
            {
                await UpgradeMarker.MarkDoneAsync(Data, MarkerFileName, MarkerText, cancellationToken);
                return 0;
            }
        }

        var sealedRows = await Audited.RunAsync(async db =>
        {
            var rows = await unauthenticated(db, cancellationToken);
            foreach (var row in rows)
            {
                authenticator.Seal(row);
            }

            return ((IReadOnlyList<IAuthenticatedRecord>)rows, record(rows));
        }, cancellationToken);
        log(sealedRows);
        await UpgradeMarker.MarkDoneAsync(Data, MarkerFileName, MarkerText, cancellationToken);
        return sealedRows.Count;
    }
}
