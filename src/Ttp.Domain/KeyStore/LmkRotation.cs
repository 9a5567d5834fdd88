using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ttp.Domain.Data;

namespace Ttp.Domain.KeyStore;

/// <summary>
/// Re-wraps every envelope (issuer key sets, KEKs, ceremony partials, staff authenticator keys, system keys, data-protection keys) under a new LMK; resumable
/// (<c>ttpctl lmk rotate</c>).
/// </summary>
/// <remarks>
/// Protocol: (1) <see cref="ILmkProvider.BeginRotation"/> creates the next LMK, or loads it when a previous run was
/// interrupted; from then on new envelopes are sealed under it and both LMKs unwrap. (2) Batches of envelopes whose
/// <see cref="KeyEnvelope.LmkId"/> is not the next LMK's get their data key re-wrapped under it, one transaction per
/// batch; the payload is not touched. Each update is guarded by the wrapped key it replaces, so an envelope re-sealed
/// meanwhile is left alone (it is under the next LMK already). Passes over the four tables repeat until one finds
/// nothing left. (3) <see cref="ILmkProvider.CompleteRotation"/> makes the next LMK current and retires the old one.
/// A run killed at any point leaves committed batches under the next LMK and the others under the old one, all
/// readable; running it again skips what is done and finishes.
/// </remarks>
public sealed class LmkRotation
{
    private readonly KeyVault _vault;
    private readonly ILogger _logger;

    /// <summary>Creates the rotation over the vault's LMK provider.</summary>
    public LmkRotation(KeyVault vault, ILogger<LmkRotation>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        _vault = vault;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Envelopes per transaction.</summary>
    internal int BatchSize { get; init; } = 200;

    /// <summary>
    /// Test hook that simulates a kill: after this many envelopes have been re-wrapped in this run, stop with
    /// <see cref="OperationCanceledException"/> before the batch in progress commits (its transaction rolls back).
    /// </summary>
    internal int? InterruptAfter { get; init; }

    /// <summary>Runs (or resumes) the rotation to its end.</summary>
    /// <exception cref="IntegrityException">An envelope's data key does not unwrap (the rotation stops before promoting;
    /// fix the record and run again).</exception>
    public Task<LmkRotationResult> RunAsync(IDbContextFactory<TtpDbContext> factory, CancellationToken cancellationToken = default) =>
        RunAsync(factory, null, cancellationToken);

    /// <summary>
    /// As the overload without <paramref name="progress"/>, telling it the envelopes re-wrapped so far in this run after
    /// each committed batch (<c>ttpctl lmk rotate</c> shows it on a terminal).
    /// </summary>
    /// <exception cref="IntegrityException">An envelope's data key does not unwrap (the rotation stops before promoting;
    /// fix the record and run again).</exception>
    public async Task<LmkRotationResult> RunAsync(IDbContextFactory<TtpDbContext> factory, IProgress<int>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var lmk = _vault.Lmk;
        lmk.Refresh();
        var previous = lmk.CurrentLmkId;
        var resumed = lmk.NextLmkId is not null;
        var next = lmk.BeginRotation();
        KeyStoreLog.RotationBegun(_logger, previous, next, resumed ? "resumed" : "begun");

        var total = 0;
        int pass;
        do
        {
            pass = 0;
            foreach (var table in Tables)
            {
                pass += await RewrapTableAsync(factory, table, next, total + pass, progress, cancellationToken);
            }

            total += pass;
        }
        while (pass > 0);

        lmk.CompleteRotation();
        KeyStoreLog.RotationCompleted(_logger, total, previous, next);
        return new LmkRotationResult(previous, next, total, resumed);
    }

    private async Task<int> RewrapTableAsync(
        IDbContextFactory<TtpDbContext> factory, EnvelopeTable table, string next, int doneBefore, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var done = 0;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var rows = await table.Pending(db, next, BatchSize).ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                return done;
            }

            var batch = 0;
            foreach (var row in rows)
            {
                if (doneBefore + done + batch >= InterruptAfter)
                {
                    throw new OperationCanceledException("LMK rotation interrupted (test hook)");
                }

                var envelope = new KeyEnvelope { LmkId = row.LmkId, WrappedDataKey = row.WrappedDataKey };
                var wrapped = _vault.Rewrap(row.Id, row.Kind, envelope, next);
                batch += await table.Update(db, row, next, wrapped, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            done += batch;
            KeyStoreLog.RotationBatch(_logger, batch, table.Name, next, doneBefore + done);
            progress?.Report(doneBefore + done);
            if (rows.Count < BatchSize)
            {
                return done;
            }
        }
    }

    /// <summary>One envelope to re-wrap: its record, the LMK it is under and its wrapped data key.</summary>
    private sealed record PendingEnvelope(Guid Id, KeyKind Kind, string LmkId, byte[] WrappedDataKey);

    /// <summary>How to find and update the envelopes of one table.</summary>
    private sealed record EnvelopeTable(
        string Name,
        Func<TtpDbContext, string, int, IQueryable<PendingEnvelope>> Pending,
        Func<TtpDbContext, PendingEnvelope, string, byte[], CancellationToken, Task<int>> Update);

    private static readonly EnvelopeTable[] Tables =
    [
        new(
            "issuer key set",
            (db, next, take) => db.IssuerKeySets.AsNoTracking()
                .Where(k => k.Envelope.LmkId != next).OrderBy(k => k.Id).Take(take)
                .Select(k => new PendingEnvelope(k.Id, KeyKind.IssuerMasterKey, k.Envelope.LmkId, k.Envelope.WrappedDataKey)),
            (db, row, next, wrapped, ct) => db.IssuerKeySets
                .Where(k => k.Id == row.Id && k.Envelope.LmkId == row.LmkId && k.Envelope.WrappedDataKey == row.WrappedDataKey)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.Envelope.LmkId, next).SetProperty(k => k.Envelope.WrappedDataKey, wrapped), ct)),
        new(
            "KEK",
            (db, next, take) => db.Keks.AsNoTracking()
                .Where(k => k.Envelope.LmkId != next).OrderBy(k => k.Id).Take(take)
                .Select(k => new PendingEnvelope(k.Id, KeyKind.Kek, k.Envelope.LmkId, k.Envelope.WrappedDataKey)),
            (db, row, next, wrapped, ct) => db.Keks
                .Where(k => k.Id == row.Id && k.Envelope.LmkId == row.LmkId && k.Envelope.WrappedDataKey == row.WrappedDataKey)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.Envelope.LmkId, next).SetProperty(k => k.Envelope.WrappedDataKey, wrapped), ct)),
        new(
            "ceremony partial",
            (db, next, take) => db.Ceremonies.AsNoTracking()
                .Where(c => c.PartialEnvelope != null && c.PartialEnvelope.LmkId != next).OrderBy(c => c.Id).Take(take)
                .Select(c => new PendingEnvelope(c.Id, KeyKind.CeremonyPartial, c.PartialEnvelope!.LmkId, c.PartialEnvelope.WrappedDataKey)),
            (db, row, next, wrapped, ct) => db.Ceremonies
                .Where(c => c.Id == row.Id && c.PartialEnvelope!.LmkId == row.LmkId && c.PartialEnvelope.WrappedDataKey == row.WrappedDataKey)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.PartialEnvelope!.LmkId, next).SetProperty(c => c.PartialEnvelope!.WrappedDataKey, wrapped), ct)),
        new(
            "staff authenticator key",
            (db, next, take) => db.StaffAuthenticatorKeys.AsNoTracking()
                .Where(k => k.Envelope.LmkId != next).OrderBy(k => k.UserId).Take(take)
                .Select(k => new PendingEnvelope(k.UserId, KeyKind.AuthenticatorKey, k.Envelope.LmkId, k.Envelope.WrappedDataKey)),
            (db, row, next, wrapped, ct) => db.StaffAuthenticatorKeys
                .Where(k => k.UserId == row.Id && k.Envelope.LmkId == row.LmkId && k.Envelope.WrappedDataKey == row.WrappedDataKey)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.Envelope.LmkId, next).SetProperty(k => k.Envelope.WrappedDataKey, wrapped), ct)),
        new(
            "system key",
            (db, next, take) => db.SystemKeys.AsNoTracking()
                .Where(k => k.Envelope.LmkId != next).OrderBy(k => k.Id).Take(take)
                .Select(k => new PendingEnvelope(k.Id, k.Kind, k.Envelope.LmkId, k.Envelope.WrappedDataKey)),
            (db, row, next, wrapped, ct) => db.SystemKeys
                .Where(k => k.Id == row.Id && k.Envelope.LmkId == row.LmkId && k.Envelope.WrappedDataKey == row.WrappedDataKey)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.Envelope.LmkId, next).SetProperty(k => k.Envelope.WrappedDataKey, wrapped), ct)),
        new(
            "data-protection key",
            (db, next, take) => db.DataProtectionKeys.AsNoTracking()
                .Where(k => k.Envelope.LmkId != next).OrderBy(k => k.Id).Take(take)
                .Select(k => new PendingEnvelope(k.Id, KeyKind.DataProtectionKey, k.Envelope.LmkId, k.Envelope.WrappedDataKey)),
            (db, row, next, wrapped, ct) => db.DataProtectionKeys
                .Where(k => k.Id == row.Id && k.Envelope.LmkId == row.LmkId && k.Envelope.WrappedDataKey == row.WrappedDataKey)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.Envelope.LmkId, next).SetProperty(k => k.Envelope.WrappedDataKey, wrapped), ct)),
    ];
}
