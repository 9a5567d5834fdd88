using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ttp.Crypto;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Staff;

namespace Ttp.Domain.Ceremonies;

/// <summary>
/// The key ceremony under dual control and split knowledge, for importing an issuer master key:
/// a Security officer opens it, each component is entered by a different Key custodian in their own call, the partial
/// XOR lives only as an LMK envelope bound to the ceremony, and the Security officer confirms the final check value
/// against the issuer's, which creates the key set (PendingActivation). Every step takes the audit chain's lock, so
/// steps of one ceremony never interleave; expiry is checked on every step.
/// </summary>
public sealed partial class CeremonyService(
    IDbContextFactory<TtpDbContext> factory, AuditedTransaction audited, KeyVault vault, IssuerKeyService issuerKeys, IOptions<CeremonyOptions> options, TimeProvider time)
{
    private const string Refused = "refused";

    /// <summary>
    /// Opens a ceremony importing an issuer master key of <paramref name="keyLength"/> bytes in
    /// <paramref name="components"/> components (2..9), entered by the named custodians or, when none is named, by any
    /// Key custodian. The opener enters no component.
    /// </summary>
    public Task<Ceremony> OpenIssuerMasterKeyImportAsync(
        IssuerKeyImport import, int keyLength, int components, IReadOnlyList<string>? custodians, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(import);
        var normalized = IssuerKeyService.Normalize(import, keyLength);
        if (normalized.SampleKdd is not null)
        {
            throw new DomainInputException("sample-kdd: a ceremony confirms the key by its check value; give no known-answer sample");
        }

        if (components is < KeyComponents.MinimumCount or > 9)
        {
            throw new DomainInputException($"components: expected 2 to 9, found {components}");
        }

        var named = (custodians ?? []).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (named.Count > 0 && named.Count < components)
        {
            throw new DomainInputException($"custodians: {components} components need at least {components} different custodians, found {named.Count}");
        }

        return audited.RunAsync(async db =>
        {
            await CeremonyStaff.RequireRoleAsync(db, actor, StaffRoles.SecurityOfficer, cancellationToken);
            var custodianActors = new List<Actor>();
            foreach (var email in named)
            {
                var custodian = await CeremonyStaff.CustodianAsync(db, email, cancellationToken);
                if (custodian == actor)
                {
                    throw new RuleViolationException($"{actor.Id} opens the ceremony and cannot also be one of its custodians");
                }

                custodianActors.Add(custodian);
            }

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
            var ceremony = Ceremony.OpenIssuerMasterKeyImport(Guid.NewGuid(), normalized.Iin, normalized.Kvn, normalized.Scheme, normalized.Method, keyLength,
                components, custodianActors, actor, now, TimeSpan.FromMinutes(options.Value.ExpiryMinutes));
            db.Ceremonies.Add(ceremony);
            return (ceremony, Record("ceremony.opened", actor, ceremony, new
            {
                Kind = ceremony.Kind.ToString(),
                ceremony.Iin,
                ceremony.Kvn,
                Scheme = ceremony.Scheme?.ToString(),
                Method = ceremony.Method?.ToString(),
                ceremony.KeyLength,
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
            var (ceremony, refusal) = await audited.RunAsync<(Ceremony, string?)>(async db =>
            {
                var ceremony = await FindAsync(db, ceremonyId, cancellationToken);
                if (ExpireIfOverdue(ceremony) is { } expired)
                {
                    return ((ceremony, $"ceremony {ceremonyId:D} has expired"), expired);
                }

                ceremony.RequireCollecting();
                await CeremonyStaff.RequireRoleAsync(db, actor, StaffRoles.KeyCustodian, cancellationToken);
                await RequireMayEnterAsync(db, ceremony, actor, cancellationToken);
                if (component.Length != ceremony.KeyLength)
                {
                    throw new DomainInputException($"component: expected {ceremony.KeyLength} bytes, found {component.Length}");
                }

                var number = ceremony.ComponentsReceived + 1;
                var kcv = IssuerKeyService.CheckValue(ceremony.Scheme!.Value, component);
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
            }, cancellationToken);
            return refusal is null ? ceremony : throw new RuleViolationException(refusal);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(component);
        }
    }

    /// <summary>
    /// The Security officer confirms the final check value against the one the issuer documented (constant time);
    /// the key set is created in state PendingActivation, sealed with its attributes, and the partial destroyed.
    /// </summary>
    public async Task<IssuerKeySet> ConfirmAsync(Guid ceremonyId, string documentedCheckValue, Actor actor, CancellationToken cancellationToken = default)
    {
        var documented = Hex.Parse(documentedCheckValue, "check-value", KeyCheckValue.ShortLength);
        var (set, refusal) = await audited.RunAsync<(IssuerKeySet?, string?)>(async db =>
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

            using var key = vault.Open(ceremony.PartialContext(ceremony.ComponentsReceived), ceremony.PartialEnvelope);
            var scheme = ceremony.Scheme!.Value;
            if (!KeyCheckValue.Matches(documented, IssuerKeyService.CheckValue(scheme, key.Bytes)))
            {
                return ((null, "check-value: the combined key's check value differs from the documented one; not confirmed"),
                    Record("ceremony.confirmation-refused", actor, ceremony, new { DocumentedKcv = Hex.Encode(documented), FinalKcv = ceremony.FinalCheckValue }, Refused));
            }

            var normalized = new IssuerKeyService.Normalized(ceremony.Iin!, ceremony.Kvn!.Value, scheme, ceremony.Method!.Value, ceremony.KeyLength, null, null);
            var created = await issuerKeys.AddSealedAsync(db, normalized, key.Bytes, actor, cancellationToken);
            ceremony.Complete(actor, time.GetUtcNow());
            var custodians = await db.CeremonyComponents.Where(c => c.CeremonyId == ceremony.Id).OrderBy(c => c.Number).Select(c => c.Custodian).ToListAsync(cancellationToken);
            return ((created, null), Record("ceremony.completed", actor, ceremony, new
            {
                KeySet = $"issuer-key:{created.Iin}/{created.Kvn}",
                KeySetId = created.Id,
                Kcv = created.KeyCheckValue,
                State = created.State.ToString(),
                Custodians = custodians,
            }));
        }, cancellationToken);
        return refusal is null ? set! : throw new RuleViolationException(refusal);
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

    private static async Task RequireMayEnterAsync(TtpDbContext db, Ceremony ceremony, Actor actor, CancellationToken cancellationToken)
    {
        if (actor.Id == ceremony.OpenedBy)
        {
            throw new RuleViolationException($"{actor.Id} opened the ceremony and cannot enter a component of it");
        }

        if (ceremony.Custodians is not null && !ceremony.NamedCustodians.Contains(actor.Id, StringComparer.Ordinal))
        {
            throw new RuleViolationException($"{actor.Id} is not one of the ceremony's named custodians");
        }

        if (await db.CeremonyComponents.AnyAsync(c => c.KeyReference == ceremony.KeyReference && c.Custodian == actor.Id, cancellationToken))
        {
            throw new RuleViolationException($"{actor.Id} already holds a component of {ceremony.KeyReference}; one person holds at most one component of a key");
        }
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
            var final = last ? Hex.Encode(IssuerKeyService.CheckValue(ceremony.Scheme!.Value, partial)) : null;
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
