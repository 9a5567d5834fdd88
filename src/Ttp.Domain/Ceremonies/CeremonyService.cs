using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ttp.Crypto;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Staff;

namespace Ttp.Domain.Ceremonies;

/// <summary>
/// The key ceremony under dual control and split knowledge: a Security officer opens it, each component is entered (or,
/// for a generated KEK, received: <c>CeremonyService.Kek.cs</c>) by a different Key custodian in their own call, the
/// partial XOR lives only as an LMK envelope bound to the ceremony, and the Security officer confirms the final check
/// value against the issuer's or TSM's, which creates the key set or KEK (PendingActivation). Every step takes the audit
/// chain's lock, so steps of one ceremony never interleave; expiry is checked on every step.
/// </summary>
public sealed partial class CeremonyService(
    IDbContextFactory<TtpDbContext> factory,
    AuditedTransaction audited,
    KeyVault vault,
    IssuerKeyService issuerKeys,
    KekService keks,
    IntegrityAlarm alarm,
    IOptions<CeremonyOptions> options,
    TimeProvider time)
{
    private const string Refused = "refused";

    /// <summary>
    /// Opens a ceremony importing an issuer master key of <paramref name="keyLength"/> bytes in
    /// <paramref name="components"/> components (2..9), entered by the named custodians or, when none is named, by any
    /// Key custodian. The opener enters no component. A known-answer sample in <paramref name="import"/> goes with the key
    /// set and is checked when it is activated.
    /// </summary>
    public Task<Ceremony> OpenIssuerMasterKeyImportAsync(
        IssuerKeyImport import, int keyLength, int components, IReadOnlyList<string>? custodians, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(import);
        var normalized = IssuerKeyService.Normalize(import, keyLength);

        var named = CeremonyStaff.NamedCustodians(components, custodians);
        return audited.RunAsync(async db =>
        {
            var custodianActors = await CeremonyStaff.OpenerAndCustodiansAsync(db, named, actor, cancellationToken);
            var keyReference = Ceremony.IssuerKeyReference(normalized.Iin, normalized.Kvn);
            if (await db.IssuerKeySets.AnyAsync(k => k.Iin == normalized.Iin && k.Kvn == normalized.Kvn, cancellationToken))
            {
                throw new RuleViolationException($"issuer {normalized.Iin} already has a key set with KVN {normalized.Kvn}");
            }

            if (await db.Ceremonies.AnyAsync(c => c.KeyReference == keyReference && c.State <= CeremonyState.AwaitingConfirmation, cancellationToken))
            {
                throw new RuleViolationException($"a ceremony for {keyReference} is already in progress");
            }

            var now = time.GetUtcNow();
            var ceremony = Ceremony.OpenIssuerMasterKeyImport(Guid.NewGuid(), normalized, components, custodianActors, actor, now, TimeSpan.FromMinutes(options.Value.ExpiryMinutes));
            db.Ceremonies.Add(ceremony);
            return (ceremony, Record("ceremony.opened", actor, ceremony, new
            {
                Kind = ceremony.Kind.ToString(),
                ceremony.Iin,
                ceremony.Kvn,
                Scheme = ceremony.Scheme?.ToString(),
                Method = ceremony.Method?.ToString(),
                ceremony.KeyLength,
                ceremony.SampleKdd,
                ceremony.SampleEncKcv,
                Components = ceremony.ComponentsExpected,
                Custodians = ceremony.NamedCustodians,
                ceremony.ExpiresAt,
            }));
        }, cancellationToken);
    }

    /// <summary>
    /// A Key custodian enters one component with the check value they read from their document. A wrong check value
    /// is refused at once and recorded (the number and the typed check value, never the component). The component is
    /// cleared before this returns.
    /// </summary>
    public async Task<Ceremony> EnterComponentAsync(Guid ceremonyId, byte[] component, string checkValue, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(component);
        try
        {
            var typed = Hex.Parse(checkValue, "check-value", KeyCheckValue.ShortLength);
            var (ceremony, refusal) = await RaisingDamageAsync(ceremonyId, () => audited.RunAsync<(Ceremony, string?)>(async db =>
            {
                var ceremony = await FindAsync(db, ceremonyId, cancellationToken);
                if (ExpireIfOverdue(ceremony) is { } expired)
                {
                    return ((ceremony, $"ceremony {ceremonyId:D} has expired"), expired);
                }

                if (ceremony.Kind == CeremonyKind.GenerateKek)
                {
                    throw new RuleViolationException($"ceremony {ceremonyId:D} generates its key; custodians receive components, they enter none");
                }

                await RequireMayActAsync(db, ceremony, actor, cancellationToken);
                if (component.Length != ceremony.KeyLength)
                {
                    throw new DomainInputException($"component: expected {ceremony.KeyLength} bytes, found {component.Length}");
                }

                var number = ceremony.ComponentsReceived + 1;
                var kcv = ceremony.CheckValue(component);
                if (!KeyCheckValue.Matches(typed, kcv))
                {
                    return ((ceremony, $"component {number}: the check value does not match the component; refused"),
                        Record("ceremony.component-refused", actor, ceremony, new { Number = number, TypedKcv = Hex.Encode(typed), Reason = "check value mismatch" }, Refused));
                }

                FoldIn(ceremony, component);
                db.CeremonyComponents.Add(CeremonyComponent.Record(ceremony, number, actor, time.GetUtcNow()));
                return ((ceremony, (string?)null), Record("ceremony.component-entered", actor, ceremony, new
                {
                    Number = number,
                    Kcv = Hex.Encode(kcv),
                    Received = ceremony.ComponentsReceived,
                    Expected = ceremony.ComponentsExpected,
                    State = ceremony.State.ToString(),
                    FinalKcv = ceremony.FinalCheckValue,
                }));
            }, cancellationToken), cancellationToken);
            return refusal is null ? ceremony : throw new RuleViolationException(refusal);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(component);
        }
    }

    /// <summary>
    /// The Security officer confirms the final check value against the one the issuer or TSM documented (constant time);
    /// the key set or KEK is created in state PendingActivation, sealed with its attributes, and the partial destroyed.
    /// A generated KEK is confirmed only once every custodian has acknowledged their component.
    /// </summary>
    public async Task<CeremonyOutcome> ConfirmAsync(Guid ceremonyId, string documentedCheckValue, Actor actor, CancellationToken cancellationToken = default)
    {
        var documented = Hex.Parse(documentedCheckValue, "check-value", KeyCheckValue.ShortLength);
        var (outcome, refusal) = await RaisingDamageAsync(ceremonyId, () => audited.RunAsync<(CeremonyOutcome?, string?)>(async db =>
        {
            var ceremony = await FindAsync(db, ceremonyId, cancellationToken);
            if (ExpireIfOverdue(ceremony) is { } expired)
            {
                return ((null, $"ceremony {ceremonyId:D} has expired"), expired);
            }

            await CeremonyStaff.RequireRoleAsync(db, actor, StaffRoles.SecurityOfficer, cancellationToken);
            if (ceremony.State != CeremonyState.AwaitingConfirmation || ceremony.PartialEnvelope is null)
            {
                throw new RuleViolationException($"ceremony {ceremonyId:D} is {ceremony.State}; only a ceremony awaiting confirmation can be confirmed");
            }

            var components = await db.CeremonyComponents.Where(c => c.CeremonyId == ceremony.Id).OrderBy(c => c.Number).ToListAsync(cancellationToken);
            if (ceremony.Kind == CeremonyKind.GenerateKek && components.FirstOrDefault(c => c.AcknowledgedAt is null) is { } unacknowledged)
            {
                throw new RuleViolationException(
                    $"component {unacknowledged.Number} has not been acknowledged by {unacknowledged.Custodian}; every custodian confirms they recorded their component first");
            }

            using var key = vault.Open(ceremony.PartialContext(ceremony.ComponentsReceived), ceremony.PartialEnvelope);
            if (!KeyCheckValue.Matches(documented, ceremony.CheckValue(key.Bytes)))
            {
                return ((null, "check-value: the combined key's check value differs from the documented one; not confirmed"),
                    Record("ceremony.confirmation-refused", actor, ceremony, new { DocumentedKcv = Hex.Encode(documented), FinalKcv = ceremony.FinalCheckValue }, Refused));
            }

            var made = await CreateKeyAsync(db, ceremony, key.Bytes, actor, cancellationToken);
            ceremony.Complete(made.Id, actor, time.GetUtcNow());
            return ((made.Outcome, null), Record("ceremony.completed", actor, ceremony, new
            {
                Key = made.Reference,
                KeyId = made.Id,
                made.Kcv,
                State = "PendingActivation",
                Custodians = components.Select(c => c.Custodian).ToArray(),
            }));
        }, cancellationToken), cancellationToken);
        return refusal is null ? outcome! : throw new RuleViolationException(refusal);
    }

    /// <summary>A Security officer stops the ceremony at any step before completion; the partial is destroyed.</summary>
    public Task<Ceremony> AbortAsync(Guid ceremonyId, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        audited.RunAsync(async db =>
        {
            var ceremony = await FindAsync(db, ceremonyId, cancellationToken);
            await CeremonyStaff.RequireRoleAsync(db, actor, StaffRoles.SecurityOfficer, cancellationToken);
            var before = ceremony.State;
            ceremony.Abort(actor, time.GetUtcNow());
            return (ceremony, Record("ceremony.aborted", actor, ceremony, new { Before = before.ToString(), Reason = reason }));
        }, cancellationToken);

    /// <summary>One ceremony, or null.</summary>
    public async Task<Ceremony?> GetAsync(Guid ceremonyId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Ceremonies.AsNoTracking().FirstOrDefaultAsync(c => c.Id == ceremonyId, cancellationToken);
    }

    /// <summary>
    /// Runs a step that opens the ceremony's sealed partial; when it does not open (a ceremony row changed outside the
    /// product: its attributes, its count of components, or a partial copied from another ceremony) the step has written
    /// nothing, and the damage is raised (Critical log, audit record) before the refusal goes to the caller.
    /// </summary>
    private async Task<T> RaisingDamageAsync<T>(Guid ceremonyId, Func<Task<T>> step, CancellationToken cancellationToken)
    {
        try
        {
            return await step();
        }
        catch (IntegrityException damaged)
        {
            var digest = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(damaged.Message)), 0, 8);
            await alarm.StoredKeyDamagedAsync($"ceremony {ceremonyId:D} (its sealed partial)", digest, damaged.Message, cancellationToken);
            throw;
        }
    }

    /// <summary>Refuses a custodian who may not enter or receive the next component (<see cref="CeremonyStaff.WhyNotAsync"/>).</summary>
    private static async Task RequireMayActAsync(TtpDbContext db, Ceremony ceremony, Actor actor, CancellationToken cancellationToken)
    {
        if (await CeremonyStaff.WhyNotAsync(db, ceremony, actor, cancellationToken) is { } reason)
        {
            throw new RuleViolationException(reason);
        }
    }

    /// <summary>The key set or KEK the confirmed ceremony makes, pending activation, in the ceremony's transaction.</summary>
    private async Task<(CeremonyOutcome Outcome, Guid Id, string Reference, string Kcv)> CreateKeyAsync(
        TtpDbContext db, Ceremony ceremony, byte[] key, Actor actor, CancellationToken cancellationToken)
    {
        if (ceremony.IsKek)
        {
            var kek = await keks.AddPendingAsync(
                db, ceremony.TsmId!.Value, ceremony.KekIndex!.Value, ceremony.KekVersion!.Value, ceremony.KekAlgorithm!.Value, ceremony.KekFormat!.Value, key, ceremony.Id, actor, cancellationToken);
            return (new CeremonyOutcome(ceremony, null, kek), kek.Id, ceremony.Label, kek.KeyCheckValue);
        }

        var normalized = new IssuerKeyService.Normalized(ceremony.Iin!, ceremony.Kvn!.Value, ceremony.Scheme!.Value, ceremony.Method!.Value, ceremony.KeyLength, ceremony.SampleKdd, ceremony.SampleEncKcv);
        var set = await issuerKeys.AddSealedAsync(db, normalized, key, actor, cancellationToken);
        return (new CeremonyOutcome(ceremony, set, null), set.Id, IssuerKeyService.AuditSubject(set.Iin, set.Kvn), set.KeyCheckValue);
    }

    /// <summary>XORs <paramref name="component"/> into the sealed partial (or starts it) and reseals it.</summary>
    private void FoldIn(Ceremony ceremony, byte[] component)
    {
        var folded = ceremony.ComponentsReceived;
        var partial = new byte[ceremony.KeyLength];
        try
        {
            if (ceremony.PartialEnvelope is not null)
            {
                using var previous = vault.Open(ceremony.PartialContext(folded), ceremony.PartialEnvelope);
                previous.Bytes.CopyTo(partial, 0);
            }

            for (var i = 0; i < partial.Length; i++)
            {
                partial[i] ^= component[i];
            }

            var last = folded + 1 == ceremony.ComponentsExpected;
            var final = last ? Hex.Encode(ceremony.CheckValue(partial)) : null;
            ceremony.AcceptComponent(vault.Seal(ceremony.PartialContext(folded + 1), partial), final);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(partial);
        }
    }

    private static async Task<Ceremony> FindAsync(TtpDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.Ceremonies.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new NotFoundException($"no ceremony {id:D}");

    private static AuditRecord Record(string action, Actor actor, Ceremony ceremony, object details, string outcome = AuditRecord.OutcomeOk) =>
        AuditRecord.StaffAction(action, actor, $"ceremony:{ceremony.Id:D}", details, outcome);
}
