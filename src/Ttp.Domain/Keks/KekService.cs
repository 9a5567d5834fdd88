using Microsoft.EntityFrameworkCore;
using Ttp.Crypto;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Tsms;

namespace Ttp.Domain.Keks;

/// <summary>Key-exchange keys: import from components, generate as components, list. Every change audited.</summary>
public sealed class KekService(IDbContextFactory<TtpDbContext> factory, AuditedTransaction audited, KeyVault vault, TimeProvider time)
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

    /// <summary>The KEKs of one TSM, by index.</summary>
    public async Task<IReadOnlyList<Kek>> ListAsync(string tsmName, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var tsm = await TsmService.FindAsync(db, tsmName, cancellationToken);
        return await db.Keks.AsNoTracking().Where(k => k.TsmId == tsm.Id).OrderBy(k => k.Index).ToListAsync(cancellationToken);
    }

    /// <summary>The check value shown for a KEK of <paramref name="algorithm"/>: DES or AES GlobalPlatform, 3 bytes.</summary>
    public static byte[] CheckValue(KekAlgorithm algorithm, ReadOnlySpan<byte> key) =>
        Kek.IsAes(algorithm) ? KeyCheckValue.AesGlobalPlatform(key) : KeyCheckValue.Des(key);

    private Task<Kek> StoreAsync(string tsmName, int index, KekAlgorithm algorithm, KekFormat format, byte[] key, string action, object details, Actor actor, CancellationToken cancellationToken) =>
        audited.RunAsync(async db =>
        {
            var tsm = await TsmService.FindAsync(db, tsmName, cancellationToken);
            if (tsm.State is TsmState.Revoked or TsmState.Rejected)
            {
                throw new RuleViolationException($"TSM '{tsm.Name}' is {tsm.State}; it cannot receive a KEK");
            }

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
