using Microsoft.EntityFrameworkCore;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.IssuerKeys;

/// <summary>
/// Issuer master key sets: import from components, activate (known-answer check), suspend, retire, list. Every key set
/// added or changed gets its MAC in the same transaction (<see cref="AuditedTransaction"/>); activation, suspension and
/// reinstatement start only from a key set that still matches its MAC (<see cref="AuthenticRecordChange"/>).
/// </summary>
public sealed class IssuerKeyService(IDbContextFactory<TtpDbContext> factory, AuditedTransaction audited, AuthenticRecordChange guarded, KeyVault vault, TimeProvider time)
{
    /// <summary>
    /// Imports a key set from two or more master-key components. The key set starts PendingActivation. A known-answer
    /// sample (a KDD and the issuer's documented ENC check value) is kept and checked at activation.
    /// </summary>
    public async Task<IssuerKeySet> ImportAsync(IssuerKeyImport import, IReadOnlyList<byte[]> components, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(import);
        ArgumentNullException.ThrowIfNull(components);
        var keyLength = components.Count > 0 ? components[0].Length : 0;
        Normalized normalized;
        try
        {
            normalized = Normalize(import, keyLength);
        }
        catch
        {
            // Refused before the components reach KeyComponentImport, which otherwise clears them.
            KeyComponentImport.Clear(components);
            throw;
        }

        using var key = KeyComponentImport.Combine(components, keyLength, c => import.Scheme.CheckValue(c), out var componentKcvs);
        return await audited.RunAsync(async db =>
        {
            var set = await AddSealedAsync(db, normalized, key.Bytes, actor, cancellationToken);
            return (set, Record("issuer-key.imported", actor, set, new
            {
                set.Iin,
                set.Kvn,
                Scheme = set.Scheme.ToString(),
                Method = set.Method.ToString(),
                set.KeyLength,
                Kcv = set.KeyCheckValue,
                Components = componentKcvs.Length,
                ComponentKcvs = componentKcvs,
                HasSample = normalized.SampleKdd is not null,
            }));
        }, cancellationToken);
    }

    /// <summary>An import's attributes checked and in canonical form (IIN and sample in uppercase hex).</summary>
    internal sealed record Normalized(string Iin, int Kvn, SecureChannelScheme Scheme, DiversificationMethod Method, int KeyLength, string? SampleKdd, string? SampleEncKcv);

    /// <summary>Checks an import's attributes for a master key of <paramref name="keyLength"/> bytes.</summary>
    internal static Normalized Normalize(IssuerKeyImport import, int keyLength)
    {
        var iin = Hex.Encode(CardDataObjects.ParseIssuerIdentificationNumber(Hex.Parse(import.Iin, "iin"), "iin"));
        if (import.Kvn is < 0 or > 255)
        {
            throw new DomainInputException("kvn: expected a key version number from 0 to 255");
        }

        RequireSchemeFits(import.Scheme, import.Method, keyLength);
        var sampleKdd = import.SampleKdd is null ? null : Hex.Encode(Hex.Parse(import.SampleKdd, "sample-kdd", KeyDiversification.KddLength));
        var sampleKcv = import.SampleEncKcv is null ? null : Hex.Encode(Hex.Parse(import.SampleEncKcv, "sample-enc-kcv", KeyCheckValue.ShortLength));
        if ((sampleKdd is null) != (sampleKcv is null))
        {
            throw new DomainInputException("sample-kdd and sample-enc-kcv: give both or neither");
        }

        return new Normalized(iin, import.Kvn, import.Scheme, import.Method, keyLength, sampleKdd, sampleKcv);
    }

    /// <summary>
    /// Adds a PendingActivation key set holding <paramref name="key"/>, sealed with its attributes, to
    /// <paramref name="db"/> (the caller's audited transaction); refused when the issuer already has that KVN. The
    /// single path by which a master key becomes a key set (import from components, key ceremony).
    /// </summary>
    internal async Task<IssuerKeySet> AddSealedAsync(TtpDbContext db, Normalized import, byte[] key, Actor actor, CancellationToken cancellationToken)
    {
        if (await db.IssuerKeySets.AnyAsync(k => k.Iin == import.Iin && k.Kvn == import.Kvn, cancellationToken))
        {
            throw new RuleViolationException($"issuer {import.Iin} already has a key set with KVN {import.Kvn}");
        }

        var kcv = Hex.Encode(import.Scheme.CheckValue(key));
        var set = IssuerKeySet.Create(Guid.NewGuid(), import.Iin, import.Kvn, import.Scheme, import.Method, import.KeyLength, kcv, import.SampleKdd, import.SampleEncKcv, actor, time.GetUtcNow());
        set.Seal(vault.Seal(set.EnvelopeContext, key));
        db.IssuerKeySets.Add(set);
        return set;
    }

    /// <summary>
    /// Activates a key set. When it carries a known-answer sample, the ENC key derived for the sample KDD must have the
    /// documented check value; otherwise activation is refused.
    /// </summary>
    /// <exception cref="IntegrityException">The key set does not match its MAC (changed outside the product): not activated.</exception>
    public Task<IssuerKeySet> ActivateAsync(string iin, int kvn, Actor actor, CancellationToken cancellationToken = default) =>
        guarded.RunAsync(async (db, requireAuthentic) =>
        {
            var set = await FindAsync(db.IssuerKeySets, iin, kvn, cancellationToken);
            await requireAuthentic(set);
            var before = set.State;
            if (set.SampleKdd is not null && set.SampleEncKcv is not null)
            {
                using var master = vault.Open(set.EnvelopeContext, set.Envelope);
                var sample = new byte[set.KeyLength];
                try
                {
                    KeyDiversification.Derive(set.Method, master.Bytes, Hex.Parse(set.SampleKdd, "sample-kdd"), StaticKeyId.Enc, sample);
                    if (!KeyCheckValue.Matches(Hex.Parse(set.SampleEncKcv, "sample-enc-kcv"), set.Scheme.CheckValue(sample)))
                    {
                        throw new RuleViolationException(
                            $"key set {set.Iin}/{set.Kvn}: the known-answer sample does not match (ENC check value for the sample KDD differs); not activated");
                    }
                }
                finally
                {
                    System.Security.Cryptography.CryptographicOperations.ZeroMemory(sample);
                }
            }

            set.Activate(actor, time.GetUtcNow());
            return (set, Record("issuer-key.activated", actor, set, new { Before = before.ToString(), After = set.State.ToString(), SampleChecked = set.SampleKdd is not null }));
        }, cancellationToken);

    /// <summary>Suspends an active key set; <paramref name="reason"/>, when given, is recorded in the audit trail.</summary>
    public Task<IssuerKeySet> SuspendAsync(string iin, int kvn, Actor actor, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(iin, kvn, "issuer-key.suspended", s => s.Suspend(), actor, reason, requireAuthentic: true, cancellationToken);

    /// <summary>Reinstates a suspended key set (only a suspended one: a pending set is activated, a retired one stays retired).</summary>
    public Task<IssuerKeySet> ReinstateAsync(string iin, int kvn, Actor actor, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(iin, kvn, "issuer-key.reinstated", s => s.Reinstate(), actor, reason, requireAuthentic: true, cancellationToken);

    /// <summary>Retires a key set for good; <paramref name="reason"/>, when given, is recorded in the audit trail.</summary>
    public Task<IssuerKeySet> RetireAsync(string iin, int kvn, Actor actor, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeStateAsync(iin, kvn, "issuer-key.retired", s => s.Retire(), actor, reason, requireAuthentic: false, cancellationToken);

    /// <summary>One key set; throws <see cref="NotFoundException"/> when there is none for the IIN and KVN.</summary>
    public async Task<IssuerKeySet> GetAsync(string iin, int kvn, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await FindAsync(db.IssuerKeySets.AsNoTracking(), iin, kvn, cancellationToken);
    }

    /// <summary>
    /// Whether the key set is its issuer's only active one: suspending or retiring it leaves the issuer without a key,
    /// so key requests for it are refused.
    /// </summary>
    public async Task<bool> IsLastActiveAsync(string iin, int kvn, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var set = await FindAsync(db.IssuerKeySets.AsNoTracking(), iin, kvn, cancellationToken);
        return set.State == IssuerKeySetState.Active
            && !await db.IssuerKeySets.AnyAsync(k => k.Iin == set.Iin && k.Kvn != set.Kvn && k.State == IssuerKeySetState.Active, cancellationToken);
    }

    /// <summary>The audit subject of a key set's records (its timeline).</summary>
    public static string AuditSubject(string iin, int kvn) => $"issuer-key:{iin}/{kvn}";

    /// <summary>Every key set, by issuer and KVN.</summary>
    public async Task<IReadOnlyList<IssuerKeySet>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.IssuerKeySets.AsNoTracking().OrderBy(k => k.Iin).ThenBy(k => k.Kvn).ToListAsync(cancellationToken);
    }

    private static void RequireSchemeFits(SecureChannelScheme scheme, DiversificationMethod method, int keyLength)
    {
        var fits = (scheme, method) switch
        {
            (SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11 or DiversificationMethod.Visa2 or DiversificationMethod.None) => keyLength == 16,
            (SecureChannelScheme.Scp03, DiversificationMethod.Kdf3 or DiversificationMethod.None) => keyLength is 16 or 24 or 32,
            _ => throw new DomainInputException($"method: {method} does not apply to {scheme} (SCP02: emv, visa2, none; SCP03: kdf3, none)"),
        };
        if (!fits)
        {
            throw new DomainInputException(scheme == SecureChannelScheme.Scp02
                ? $"component: SCP02 master keys are 16 bytes (2-key TDES), found {keyLength}"
                : $"component: SCP03 master keys are 16, 24 or 32 bytes (AES), found {keyLength}");
        }
    }

    // Retirement is final and only narrows, so it is allowed on a key set that fails its MAC (to withdraw it for good).
    private Task<IssuerKeySet> ChangeStateAsync(
        string iin, int kvn, string action, Action<IssuerKeySet> change, Actor actor, string? reason, bool requireAuthentic, CancellationToken cancellationToken)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason is { Length: > 500 })
        {
            throw new DomainInputException("reason: at most 500 characters");
        }

        return guarded.RunAsync(async (db, authentic) =>
        {
            var set = await FindAsync(db.IssuerKeySets, iin, kvn, cancellationToken);
            if (requireAuthentic)
            {
                await authentic(set);
            }

            var before = set.State;
            change(set);
            object details = reason is null
                ? new { Before = before.ToString(), After = set.State.ToString() }
                : new { Before = before.ToString(), After = set.State.ToString(), Reason = reason };
            return (set, Record(action, actor, set, details));
        }, cancellationToken);
    }

    private static async Task<IssuerKeySet> FindAsync(IQueryable<IssuerKeySet> sets, string iin, int kvn, CancellationToken cancellationToken)
    {
        var normalized = Hex.Encode(Hex.Parse(iin, "iin"));
        return await sets.FirstOrDefaultAsync(k => k.Iin == normalized && k.Kvn == kvn, cancellationToken)
            ?? throw new NotFoundException($"no key set for issuer {normalized} with KVN {kvn}");
    }

    private static AuditRecord Record(string action, Actor actor, IssuerKeySet set, object details) =>
        AuditRecord.StaffAction(action, actor, AuditSubject(set.Iin, set.Kvn), details);
}
