using Ttp.Domain;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Staff;
using Ttp.Portal.Security;

namespace Ttp.Portal.Ceremonies;

/// <summary>
/// The portal's edge over <see cref="CeremonyService"/>: each method first requires the policy of the step for the
/// signed-in staff member (<see cref="StaffAuthorization.RequireAsync"/>: Security officer to open, confirm and abort,
/// Key custodian to enter a component), then calls the domain, which applies the ceremony's rules (the opener enters
/// nothing, named custodians, one component of a key per person) and writes the audit record. Pages call nothing else
/// to change a ceremony. A scoped service, one per circuit.
/// </summary>
public sealed class CeremonyAdministration(StaffAuthorization authorization, CeremonyService ceremonies, CeremonyQueries queries, IServiceScopeFactory scopes)
{
    /// <summary>Opens a ceremony importing an issuer master key of <paramref name="keyLength"/> bytes in <paramref name="components"/> components.</summary>
    public async Task<Ceremony> OpenIssuerMasterKeyImportAsync(IssuerKeyImport import, int keyLength, int components, IReadOnlyList<string>? custodians) =>
        await ceremonies.OpenIssuerMasterKeyImportAsync(import, keyLength, components, custodians, await authorization.RequireAsync(PortalPolicies.SecurityOfficer));

    /// <summary>
    /// Enters one component with the check value of the custodian's document. <paramref name="component"/> is cleared
    /// before this returns, whether the call is allowed, refused or fails.
    /// </summary>
    public async Task<Ceremony> EnterComponentAsync(Guid ceremonyId, byte[] component, string checkValue)
    {
        ArgumentNullException.ThrowIfNull(component);
        try
        {
            var actor = await authorization.RequireAsync(PortalPolicies.KeyCustodian);
            return await ceremonies.EnterComponentAsync(ceremonyId, component, checkValue, actor);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(component);
        }
    }

    /// <summary>Confirms the final check value against the documented one; the key set is created pending activation.</summary>
    public async Task<IssuerKeySet> ConfirmAsync(Guid ceremonyId, string documentedCheckValue) =>
        await ceremonies.ConfirmAsync(ceremonyId, documentedCheckValue, await authorization.RequireAsync(PortalPolicies.SecurityOfficer));

    /// <summary>Stops a ceremony in progress, with a reason; its partial is destroyed.</summary>
    public async Task<Ceremony> AbortAsync(Guid ceremonyId, string reason) =>
        await ceremonies.AbortAsync(ceremonyId, reason, await authorization.RequireAsync(PortalPolicies.SecurityOfficer));

    /// <summary>
    /// Whether the signed-in Key custodian may enter or receive a component of <paramref name="ceremony"/>, and why not:
    /// not the opener, one of the named custodians (if any are named), and not already holding a component of that key.
    /// The domain decides again on the step itself; this only spares the custodian a refusal.
    /// </summary>
    public async Task<CustodianEligibility> EligibilityAsync(Ceremony ceremony)
    {
        ArgumentNullException.ThrowIfNull(ceremony);
        if (!await authorization.IsAllowedAsync(PortalPolicies.KeyCustodian))
        {
            return new CustodianEligibility(false, "Only Key custodians enter or receive components.");
        }

        var actor = Actor.Staff(StaffAuthorization.EmailOf(await authorization.UserAsync()));
        if (actor.Id == ceremony.OpenedBy)
        {
            return new CustodianEligibility(false, "You opened this ceremony: its opener holds no component of the key.");
        }

        if (ceremony.NamedCustodians.Count > 0 && !ceremony.NamedCustodians.Contains(actor.Id, StringComparer.Ordinal))
        {
            return new CustodianEligibility(false, "You are not one of the custodians named for this ceremony.");
        }

        var holders = (await queries.ListAsync(includeClosed: true))
            .Where(c => c.Id == ceremony.Id || (c.Kind == ceremony.Kind && c.Label == ceremony.Label))
            .ToList();
        if (holders.FirstOrDefault(c => c.Id == ceremony.Id)?.EnteredBy.Contains(actor.Id, StringComparer.Ordinal) == true)
        {
            return new CustodianEligibility(false, "You already hold a component of this ceremony; one person holds one component of a key.");
        }

        return holders.Any(c => c.EnteredBy.Contains(actor.Id, StringComparer.Ordinal))
            ? new CustodianEligibility(false, "You already hold a component of this key from an earlier ceremony; one person holds one component of a key.")
            : new CustodianEligibility(true, null);
    }

    /// <summary>The enabled Key custodians a Security officer may name when opening a ceremony (never the officer), by e-mail.</summary>
    public async Task<IReadOnlyList<string>> CustodiansAsync()
    {
        var actor = await authorization.RequireAsync(PortalPolicies.SecurityOfficer);
        await using var scope = scopes.CreateAsyncScope();
        var staff = await scope.ServiceProvider.GetRequiredService<StaffService>().ListAsync();
        return [.. staff
            .Where(m => !m.IsDisabled && m.Roles.Contains(StaffRoles.KeyCustodian) && Actor.Staff(m.Email) != actor)
            .Select(m => m.Email)];
    }
}

/// <summary>Whether a Key custodian may act on a ceremony, and why not (<paramref name="Reason"/>, a sentence for the page).</summary>
public sealed record CustodianEligibility(bool MayAct, string? Reason);
