using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Domain.KeyStore;

/// <summary>
/// The one-time conversion of an installation of the previous release: every issuer master key and KEK envelope of
/// format 1 (associated data without the record's attributes) is opened and sealed again with its attributes (format 2),
/// one record per transaction with its audit record, so an interrupted run resumes where it stopped. When no format-1
/// envelope is left, a marker file in the data directory (outside the database) records that the conversion is done;
/// from then on a format-1 envelope is an integrity failure (it can only come from SQL or an old backup, for instance
/// with its attributes changed), never converted.
/// </summary>
public sealed class EnvelopeAttributeUpgrade(
    IDbContextFactory<TtpDbContext> factory,
    KeyVault vault,
    AuditedTransaction audited,
    IOptions<DataOptions> data,
    ILogger<EnvelopeAttributeUpgrade> logger)
{
    /// <summary>The marker's file name in the data directory.</summary>
    public const string MarkerFileName = "envelope-attributes.done";

    /// <summary>The marker's full path.</summary>
    public string MarkerPath => UpgradeMarker.PathOf(data.Value, MarkerFileName);

    /// <summary>Converts what is left to convert; returns how many envelopes were re-sealed by this run.</summary>
    /// <exception cref="IntegrityException">A format-1 envelope exists after the conversion was recorded as done, or does not open.</exception>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var pending = await PendingAsync(cancellationToken);
        if (pending.Count > 0 && UpgradeMarker.IsDone(data.Value, MarkerFileName))
        {
            throw new IntegrityException(
                $"{pending.Count} key envelope(s) without sealed attributes were found after the conversion was done ({string.Join(", ", pending.Take(5))}): " +
                "they were written in the database afterwards (SQL or an old backup) and are not used");
        }

        foreach (var record in pending)
        {
            await audited.RunAsync(async db =>
            {
                var context = await ResealAsync(db, record, cancellationToken);
                return (0, AuditRecord.StaffAction("keystore.attributes-sealed", Actor.System, context.ToString(), new { Record = record.Id, Kind = record.Kind.ToString() }));
            }, cancellationToken);
        }

        if (pending.Count > 0)
        {
            KeyStoreLog.AttributesSealed(logger, pending.Count);
        }

        await UpgradeMarker.MarkDoneAsync(data.Value, MarkerFileName, "Key envelopes carry their record's attributes (format 2).", cancellationToken);

        return pending.Count;
    }

    private async Task<List<Pending>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var sets = await db.IssuerKeySets.AsNoTracking().Where(k => k.Envelope.FormatVersion == 1).Select(k => k.Id).ToListAsync(cancellationToken);
        var keks = await db.Keks.AsNoTracking().Where(k => k.Envelope.FormatVersion == 1).Select(k => k.Id).ToListAsync(cancellationToken);
        return [.. sets.Select(id => new Pending(id, KeyKind.IssuerMasterKey)), .. keks.Select(id => new Pending(id, KeyKind.Kek))];
    }

    private async Task<EnvelopeContext> ResealAsync(TtpDbContext db, Pending record, CancellationToken cancellationToken)
    {
        if (record.Kind == KeyKind.IssuerMasterKey)
        {
            var set = await db.IssuerKeySets.SingleAsync(k => k.Id == record.Id, cancellationToken);
            using var key = vault.OpenFormat1(set.EnvelopeContext, set.Envelope);
            set.Seal(vault.Seal(set.EnvelopeContext, key.Bytes));
            return set.EnvelopeContext;
        }

        var kek = await db.Keks.SingleAsync(k => k.Id == record.Id, cancellationToken);
        using (var key = vault.OpenFormat1(kek.EnvelopeContext, kek.Envelope))
        {
            kek.Seal(vault.Seal(kek.EnvelopeContext, key.Bytes));
        }

        return kek.EnvelopeContext;
    }

    private sealed record Pending(Guid Id, KeyKind Kind)
    {
        public override string ToString() => $"{Kind} {Id:D}";
    }
}
