using Ttp.Domain;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Staff;
using Ttp.Portal.Security;

namespace Ttp.Portal.Ceremonies;

/// <summary>
/// The portal's edge over <see cref="CeremonyService"/>: each method first requires the policy of the step for the
/// signed-in staff member (<see cref="StaffAuthorization.RequireAsync"/>: Security officer to open, confirm and abort,
/// Key custodian to enter, receive or acknowledge a component), then calls the domain, which applies the ceremony's rules (the opener enters
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

    /// <summary>Opens a ceremony importing (<see cref="CeremonyKind.ImportKek"/>) or generating (<see cref="CeremonyKind.GenerateKek"/>) a TSM's KEK.</summary>
    public async Task<Ceremony> OpenKekAsync(KekCeremonyRequest request, IReadOnlyList<string>? custodians) =>
        await ceremonies.OpenKekAsync(request, custodians, await authorization.RequireAsync(PortalPolicies.SecurityOfficer));

    /// <summary>
    /// Hands the signed-in Key custodian their component of a generated KEK, once. The caller shows it on the sheet and
    /// disposes the result (which zeroes the component).
    /// </summary>
    public async Task<ReceivedComponent> ReceiveComponentAsync(Guid ceremonyId) =>
        await ceremonies.ReceiveComponentAsync(ceremonyId, await authorization.RequireAsync(PortalPolicies.KeyCustodian));

    /// <summary>The Key custodian confirms they recorded the component they received.</summary>
    public async Task<Ceremony> AcknowledgeComponentAsync(Guid ceremonyId) =>
        await ceremonies.AcknowledgeComponentAsync(ceremonyId, await authorization.RequireAsync(PortalPolicies.KeyCustodian));

    /// <summary>Confirms the final check value against the documented one; the key is created pending activation.</summary>
    public async Task<CeremonyOutcome> ConfirmAsync(Guid ceremonyId, string documentedCheckValue) =>
        await ceremonies.ConfirmAsync(ceremonyId, documentedCheckValue, await authorization.RequireAsync(PortalPolicies.SecurityOfficer));

    /// <summary>Stops a ceremony in progress, with a reason; its partial is destroyed.</summary>
    public async Task<Ceremony> AbortAsync(Guid ceremonyId, string reason) =>
        await ceremonies.AbortAsync(ceremonyId, reason, await authorization.RequireAsync(PortalPolicies.SecurityOfficer));

    /// <summary>
    /// Whether the signed-in staff member may enter or receive the next component of <paramref name="ceremonyId"/>, and
    /// why not, by the domain's own rule (<see cref="CeremonyQueries.EligibilityAsync"/>): not the opener, a Key
    /// custodian, one of the named custodians (if any), not already holding a component of that key.
    /// </summary>
    public async Task<CeremonyEligibility> EligibilityAsync(Guid ceremonyId) =>
        await queries.EligibilityAsync(ceremonyId, Actor.Staff(StaffAuthorization.EmailOf(await authorization.UserAsync())));

    /// <summary>The ceremonies in progress waiting for the signed-in Key custodian (a component to enter, receive or acknowledge).</summary>
    public async Task<IReadOnlyList<CeremonySummary>> TasksAsync() =>
        await authorization.IsAllowedAsync(PortalPolicies.KeyCustodian)
            ? await queries.TasksForAsync(Actor.Staff(StaffAuthorization.EmailOf(await authorization.UserAsync())))
            : [];

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

