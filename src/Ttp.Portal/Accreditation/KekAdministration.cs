using Ttp.Domain.Keks;
using Ttp.Portal.Security;

namespace Ttp.Portal.Accreditation;

/// <summary>
/// The portal's edge over <see cref="KekService"/> for a TSM's key-exchange keys: each method first requires the Security
/// officer policy of the signed-in staff member (<see cref="StaffAuthorization.RequireAsync"/>), then calls the domain,
/// which applies the state rules and writes the audit record. KEKs are made by ceremonies (<c>/ceremonies</c>); pages
/// call nothing else to activate or retire one. A scoped service, one per circuit.
/// </summary>
public sealed class KekAdministration(StaffAuthorization authorization, KekService keks)
{
    /// <summary>Activates a KEK pending activation; the index's version active until now is retired with it.</summary>
    public async Task<Kek> ActivateAsync(string tsmName, int index, int version) =>
        await keks.ActivateAsync(tsmName, index, version, await authorization.RequireAsync(PortalPolicies.SecurityOfficer));

    /// <summary>Retires a KEK (active or pending) for good, with a reason.</summary>
    public async Task<Kek> RetireAsync(string tsmName, int index, int version, string reason) =>
        await keks.RetireAsync(tsmName, index, version, await authorization.RequireAsync(PortalPolicies.SecurityOfficer), reason);
}
