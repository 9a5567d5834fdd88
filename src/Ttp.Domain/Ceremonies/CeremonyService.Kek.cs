using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ttp.Crypto;
using Ttp.Domain.Keks;

namespace Ttp.Domain.Ceremonies;

/// <summary>
/// KEK ceremonies: importing the components a TSM sent (entered like an issuer key's), and generating a KEK whose
/// components are handed out, one per custodian. A generated ceremony seals the key and the part not yet handed out
/// together (<c>key || rest</c>); each custodian but the last receives fresh random bytes XORed out of the rest, the last
/// receives the rest, so every component exists only in the call that hands it out and the final check value is known
/// from the start. After the last one the partial holds the key alone.
/// </summary>
public sealed partial class CeremonyService
{
    /// <summary>
    /// Opens a ceremony that imports or generates version 1 of the TSM's KEK <see cref="KekCeremonyRequest.Index"/>, or,
    /// when that index has a KEK already, its next version (a rotation: activating it retires the earlier one).
    /// </summary>
    public Task<Ceremony> OpenKekAsync(KekCeremonyRequest request, IReadOnlyList<string>? custodians, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Kind is not (CeremonyKind.ImportKek or CeremonyKind.GenerateKek))
        {
            throw new DomainInputException($"kind: expected ImportKek or GenerateKek, found {request.Kind}");
        }

        if (request.Index is < 1 or > 255)
        {
            throw new DomainInputException($"index: expected a KEK index from 1 to 255, found {request.Index}");
        }

        if (!Enum.IsDefined(request.Algorithm) || !Enum.IsDefined(request.Format))
        {
            throw new DomainInputException("algorithm: expected TDES2, TDES3, AES128, AES192 or AES256 with format TR-31 or GP");
        }

        var named = CeremonyStaff.NamedCustodians(request.Components, custodians);
        return audited.RunAsync(async db =>
        {
            var custodianActors = await CeremonyStaff.OpenerAndCustodiansAsync(db, named, actor, cancellationToken);
            var tsm = await Tsms.TsmService.FindAsync(db, request.TsmName, cancellationToken);
            KekService.RequireMayReceive(tsm);
            if (await db.Ceremonies.AnyAsync(c => c.TsmId == tsm.Id && c.KekIndex == request.Index && c.State <= CeremonyState.AwaitingConfirmation, cancellationToken))
            {
                throw new RuleViolationException($"a ceremony for KEK {request.Index} of TSM '{tsm.Name}' is already in progress");
            }

            var versions = await db.Keks.Where(k => k.TsmId == tsm.Id && k.Index == request.Index).Select(k => new { k.Version, k.State }).ToListAsync(cancellationToken);
            if (versions.Any(v => v.State == KekState.PendingActivation))
            {
                throw new RuleViolationException($"KEK {request.Index} of TSM '{tsm.Name}' has a version pending activation; activate or retire it first");
            }

            var version = versions.Count == 0 ? 1 : versions.Max(v => v.Version) + 1;
            var now = time.GetUtcNow();
            var ceremony = Ceremony.OpenKek(Guid.NewGuid(), request, tsm.Id, tsm.Name, version, custodianActors, actor, now, TimeSpan.FromMinutes(options.Value.ExpiryMinutes));
            if (request.Kind == CeremonyKind.GenerateKek)
            {
                Generate(ceremony);
            }

            db.Ceremonies.Add(ceremony);
            return (ceremony, Record("ceremony.opened", actor, ceremony, new
            {
                Kind = ceremony.Kind.ToString(),
                Tsm = tsm.Name,
                ceremony.KekIndex,
                ceremony.KekVersion,
                Algorithm = request.Algorithm.ToString(),
                Format = request.Format.ToString(),
                Components = ceremony.ComponentsExpected,
                Custodians = ceremony.NamedCustodians,
                FinalKcv = ceremony.FinalCheckValue,
                ceremony.ExpiresAt,
            }));
        }, cancellationToken);
    }

    /// <summary>
    /// A Key custodian receives their component of a generated KEK, once: it is made in this call and stored nowhere. The
    /// caller shows it on the custodian's sheet and disposes the result. The custodian then acknowledges it
    /// (<see cref="AcknowledgeComponentAsync"/>).
    /// </summary>
    public async Task<ReceivedComponent> ReceiveComponentAsync(Guid ceremonyId, Actor actor, CancellationToken cancellationToken = default)
    {
        byte[]? handedOut = null;
        try
        {
            var (received, refusal) = await RaisingDamageAsync(ceremonyId, () => audited.RunAsync<(ReceivedComponent?, string?)>(async db =>
            {
                var ceremony = await FindAsync(db, ceremonyId, cancellationToken);
                if (ExpireIfOverdue(ceremony) is { } expired)
                {
                    return ((null, $"ceremony {ceremonyId:D} has expired"), expired);
                }

                if (ceremony.Kind != CeremonyKind.GenerateKek || ceremony.PartialEnvelope is null)
                {
                    throw new RuleViolationException($"ceremony {ceremonyId:D} does not generate its key; its components are entered, not received");
                }

                await RequireMayActAsync(db, ceremony, actor, cancellationToken);
                var number = ceremony.ComponentsReceived + 1;
                handedOut = HandOut(ceremony);
                var kcv = Hex.Encode(ceremony.CheckValue(handedOut));
                db.CeremonyComponents.Add(CeremonyComponent.Record(ceremony, number, actor, time.GetUtcNow()));
                return ((new ReceivedComponent(ceremony, number, handedOut, kcv), null), Record("ceremony.component-received", actor, ceremony, new
                {
                    Number = number,
                    Kcv = kcv,
                    Received = ceremony.ComponentsReceived,
                    Expected = ceremony.ComponentsExpected,
                    State = ceremony.State.ToString(),
                }));
            }, cancellationToken), cancellationToken);
            return received ?? throw new RuleViolationException(refusal!);
        }
        catch
        {
            if (handedOut is not null)
            {
                CryptographicOperations.ZeroMemory(handedOut);
            }

            throw;
        }
    }

    /// <summary>The custodian confirms they recorded the component they received; the ceremony can be confirmed once all have.</summary>
    public Task<Ceremony> AcknowledgeComponentAsync(Guid ceremonyId, Actor actor, CancellationToken cancellationToken = default) =>
        audited.RunAsync(async db =>
        {
            var ceremony = await FindAsync(db, ceremonyId, cancellationToken);
            if (!ceremony.IsInProgress)
            {
                throw new RuleViolationException($"ceremony {ceremonyId:D} is {ceremony.State}; nothing to acknowledge");
            }

            var component = await db.CeremonyComponents.FirstOrDefaultAsync(c => c.CeremonyId == ceremony.Id && c.Custodian == actor.Id, cancellationToken)
                ?? throw new RuleViolationException($"{actor.Id} has received no component of ceremony {ceremonyId:D}");
            component.Acknowledge(time.GetUtcNow());
            return (ceremony, Record("ceremony.component-acknowledged", actor, ceremony, new { component.Number }));
        }, cancellationToken);

    /// <summary>Generates the KEK and seals it with the rest (all of it, at first) as the partial.</summary>
    private void Generate(Ceremony ceremony)
    {
        var both = new byte[ceremony.KeyLength * 2];
        try
        {
            RandomNumberGenerator.Fill(both.AsSpan(0, ceremony.KeyLength));
            both.AsSpan(0, ceremony.KeyLength).CopyTo(both.AsSpan(ceremony.KeyLength));
            ceremony.StartGenerated(vault.Seal(ceremony.PartialContext(0), both), Hex.Encode(ceremony.CheckValue(both.AsSpan(0, ceremony.KeyLength))));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(both);
        }
    }

    /// <summary>Makes the next component out of the sealed rest and reseals what remains (the key alone after the last).</summary>
    private byte[] HandOut(Ceremony ceremony)
    {
        var length = ceremony.KeyLength;
        var folded = ceremony.ComponentsReceived;
        var last = folded + 1 == ceremony.ComponentsExpected;
        using var sealedParts = vault.Open(ceremony.PartialContext(folded), ceremony.PartialEnvelope!);
        var parts = sealedParts.Bytes;
        if (parts.Length != 2 * length)
        {
            throw new IntegrityException($"ceremony {ceremony.Id:D}: the sealed partial has the wrong length");
        }

        var component = new byte[length];
        if (last)
        {
            parts.AsSpan(length).CopyTo(component);
        }
        else
        {
            RandomNumberGenerator.Fill(component);
            for (var i = 0; i < length; i++)
            {
                parts[length + i] ^= component[i];
            }
        }

        var next = vault.Seal(ceremony.PartialContext(folded + 1), last ? parts.AsSpan(0, length) : parts);
        ceremony.AcceptComponent(next, ceremony.FinalCheckValue);
        return component;
    }
}
