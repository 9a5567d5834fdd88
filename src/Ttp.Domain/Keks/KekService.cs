using Microsoft.EntityFrameworkCore;
using Ttp.Crypto;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tsms;

namespace Ttp.Domain.Keks;

/// <summary>
/// Key-exchange keys: import from components and generate as components (<c>ttpctl</c>, created active), the pending KEK a
/// ceremony makes, activation (retiring the index's earlier version), retirement, lists. Every change audited, and every
/// KEK added or changed gets its MAC in the same transaction (<see cref="AuditedTransaction"/>); activation starts only
/// from a KEK that still matches its MAC (<see cref="AuthenticRecordChange"/>).
/// </summary>
public sealed class KekService(IDbContextFactory<TtpDbContext> factory, AuditedTransaction audited, AuthenticRecordChange guarded, KeyVault vault, TimeProvider time)
{
    /// <summary>Imports a KEK from two or more components (XORed), sealing it under the LMK.</summary>
    public async Task<Kek> ImportAsync(string tsmName, int index, KekAlgorithm algorithm, KekFormat format, IReadOnlyList<byte[]> components, Actor actor, CancellationToken cancellationToken = default)
    {
        using var key = KeyComponentImport.Combine(components, Kek.LengthOf(algorithm), c => CheckValue(algorithm, c), out var componentKcvs);
        return await StoreAsync(tsmName, index, algorithm, format, key.Bytes, "kek.imported", new { Components = componentKcvs.Length, ComponentKcvs = componentKcvs }, actor, cancellationToken);
    }

    /// <summary>
    /// Generates a random KEK and splits it into <paramref name="componentCount"/> components for the custodians.
    /// The caller hands each component to one custodian and disposes the result (which clears them).
    /// </summary>
    public async Task<GeneratedKek> GenerateAsync(string tsmName, int index, KekAlgorithm algorithm, KekFormat format, int componentCount, Actor actor, CancellationToken cancellationToken = default)
    {
        if (componentCount < KeyComponents.MinimumCount)
        {
            throw new DomainInputException($"components: at least {KeyComponents.MinimumCount} are required, found {componentCount}");
        }

        using var key = new SensitiveBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(Kek.LengthOf(algorithm)));
        var components = KeyComponents.Split(key.Bytes, componentCount);
        var componentKcvs = components.Select(c => Hex.Encode(CheckValue(algorithm, c))).ToArray();
        try
        {
            var kek = await StoreAsync(tsmName, index, algorithm, format, key.Bytes, "kek.generated", new { Components = componentCount, ComponentKcvs = componentKcvs }, actor, cancellationToken);
            return new GeneratedKek(kek, components, componentKcvs);
        }
        catch
        {
            foreach (var component in components)
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(component);
            }

            throw;
        }
    }

    /// <summary>The KEKs of one TSM, by index and version.</summary>
    public async Task<IReadOnlyList<Kek>> ListAsync(string tsmName, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var tsm = await TsmService.FindAsync(db, tsmName, cancellationToken);
        return await db.Keks.AsNoTracking().Where(k => k.TsmId == tsm.Id).OrderBy(k => k.Index).ThenBy(k => k.Version).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Activates a KEK pending activation (made by a ceremony); the version of the same index that was active until now
    /// is retired in the same transaction, so a TSM's index names one KEK at a time.
    /// </summary>
    /// <exception cref="IntegrityException">The KEK does not match its MAC (changed outside the product): not activated.</exception>
    public Task<Kek> ActivateAsync(string tsmName, int index, int version, Actor actor, CancellationToken cancellationToken = default) =>
        guarded.RunAsync(async (db, requireAuthentic) =>
        {
            var (tsm, kek) = await FindAsync(db, tsmName, index, version, cancellationToken);
            await requireAuthentic(kek);
            if (tsm.State is TsmState.Revoked or TsmState.Rejected)
            {
                throw new RuleViolationException($"TSM '{tsm.Name}' is {tsm.State}; its KEKs cannot be activated");
            }

            var now = time.GetUtcNow();
            kek.Activate(actor, now);
            var replaced = await db.Keks.Where(k => k.TsmId == tsm.Id && k.Index == index && k.State == KekState.Active && k.Id != kek.Id).ToListAsync(cancellationToken);
            foreach (var previous in replaced)
            {
                previous.Retire(actor, now);
            }

            return (kek, AuditRecord.StaffAction("kek.activated", actor, Subject(tsm.Name, kek), new
            {
                Tsm = tsm.Name,
                kek.Index,
                kek.Version,
                Kcv = kek.KeyCheckValue,
                Retired = replaced.Select(p => p.Version).ToArray(),
            }));
        }, cancellationToken);

    /// <summary>Retires a KEK (active or pending) for good; <paramref name="reason"/>, when given, is recorded.</summary>
    public Task<Kek> RetireAsync(string tsmName, int index, int version, Actor actor, string? reason = null, CancellationToken cancellationToken = default) =>
        audited.RunAsync(async db =>
        {
            var (tsm, kek) = await FindAsync(db, tsmName, index, version, cancellationToken);
            var before = kek.State;
            kek.Retire(actor, time.GetUtcNow());
            return (kek, AuditRecord.StaffAction("kek.retired", actor, Subject(tsm.Name, kek), new
            {
                Tsm = tsm.Name,
                kek.Index,
                kek.Version,
                Before = before.ToString(),
                Reason = reason,
            }));
        }, cancellationToken);

    /// <summary>The audit subject of a KEK: <c>kek:TSM/index</c>, with <c> vN</c> from the second version on.</summary>
    public static string Subject(string tsmName, Kek kek) => $"kek:{Kek.Describe(tsmName, kek.Index, kek.Version)}";

    /// <summary>
    /// Seals <paramref name="key"/> as version <paramref name="version"/> of the TSM's KEK <paramref name="index"/>, pending
    /// activation, made by <paramref name="ceremonyId"/>: the last step of a KEK ceremony, inside its transaction.
    /// </summary>
    internal async Task<Kek> AddPendingAsync(
        TtpDbContext db, Guid tsmId, int index, int version, KekAlgorithm algorithm, KekFormat format, byte[] key, Guid ceremonyId, Actor actor, CancellationToken cancellationToken)
    {
        var tsm = await db.Tsms.FirstOrDefaultAsync(t => t.Id == tsmId, cancellationToken) ?? throw new NotFoundException($"no TSM {tsmId:D}");
        RequireMayReceive(tsm);
        if (await db.Keks.AnyAsync(k => k.TsmId == tsm.Id && k.Index == index && k.Version == version, cancellationToken))
        {
            throw new RuleViolationException($"TSM '{tsm.Name}' already has version {version} of KEK {index}");
        }

        var kek = Kek.Create(Guid.NewGuid(), tsm.Id, index, algorithm, format, Hex.Encode(CheckValue(algorithm, key)), actor, time.GetUtcNow(), version, ceremonyId);
        kek.Seal(vault.Seal(kek.EnvelopeContext, key));
        db.Keks.Add(kek);
        return kek;
    }

    /// <summary>Refuses a TSM that can no longer receive a KEK.</summary>
    internal static void RequireMayReceive(Tsm tsm)
    {
        if (tsm.State is TsmState.Revoked or TsmState.Rejected)
        {
            throw new RuleViolationException($"TSM '{tsm.Name}' is {tsm.State}; it cannot receive a KEK");
        }
    }

    private static async Task<(Tsm Tsm, Kek Kek)> FindAsync(TtpDbContext db, string tsmName, int index, int version, CancellationToken cancellationToken)
    {
        var tsm = await TsmService.FindAsync(db, tsmName, cancellationToken);
        var kek = await db.Keks.FirstOrDefaultAsync(k => k.TsmId == tsm.Id && k.Index == index && k.Version == version, cancellationToken)
            ?? throw new NotFoundException($"TSM '{tsm.Name}' has no KEK {index} version {version}");
        return (tsm, kek);
    }

    /// <summary>The check value shown for a KEK of <paramref name="algorithm"/>: DES or AES GlobalPlatform, 3 bytes.</summary>
    public static byte[] CheckValue(KekAlgorithm algorithm, ReadOnlySpan<byte> key) =>
        Kek.IsAes(algorithm) ? KeyCheckValue.AesGlobalPlatform(key) : KeyCheckValue.Des(key);

    private Task<Kek> StoreAsync(string tsmName, int index, KekAlgorithm algorithm, KekFormat format, byte[] key, string action, object details, Actor actor, CancellationToken cancellationToken) =>
        audited.RunAsync(async db =>
        {
            var tsm = await TsmService.FindAsync(db, tsmName, cancellationToken);
            RequireMayReceive(tsm);
            if (await db.Keks.AnyAsync(k => k.TsmId == tsm.Id && k.Index == index, cancellationToken))
            {
                throw new RuleViolationException($"TSM '{tsm.Name}' already has a KEK with index {index}");
            }

            var kcv = Hex.Encode(CheckValue(algorithm, key));
            var kek = Kek.Create(Guid.NewGuid(), tsm.Id, index, algorithm, format, kcv, actor, time.GetUtcNow());
            kek.Seal(vault.Seal(kek.EnvelopeContext, key));
            db.Keks.Add(kek);
            return (kek, AuditRecord.StaffAction(action, actor, $"kek:{tsm.Name}/{index}", new
            {
                Tsm = tsm.Name,
                Index = index,
                Algorithm = algorithm.ToString(),
                Format = format.ToString(),
                Kcv = kcv,
                Detail = details,
            }));
        }, cancellationToken);
}
