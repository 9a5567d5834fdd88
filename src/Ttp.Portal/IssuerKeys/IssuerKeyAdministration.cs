using Ttp.Domain.IssuerKeys;
using Ttp.Portal.Security;

namespace Ttp.Portal.IssuerKeys;

/// <summary>
/// The portal's edge over <see cref="IssuerKeyService"/> for the key-set life cycle: each method first requires the
/// Security officer policy of the signed-in staff member (<see cref="StaffAuthorization.RequireAsync"/>), then calls the
/// domain, which applies the state rules and writes the audit record. Pages call nothing else to change a key set. A
/// scoped service, one per circuit.
/// </summary>
public sealed class IssuerKeyAdministration(StaffAuthorization authorization, IssuerKeyService keys)
{
    /// <summary>Activates a key set pending activation (e.g. one a ceremony created): key requests use it from then on.</summary>
    public async Task<IssuerKeySet> ActivateAsync(string iin, int kvn) =>
        await keys.ActivateAsync(iin, kvn, await authorization.RequireAsync(PortalPolicies.SecurityOfficer));

    /// <summary>Suspends an active key set, with a reason: key requests no longer use it.</summary>
    public async Task<IssuerKeySet> SuspendAsync(string iin, int kvn, string reason) =>
        await keys.SuspendAsync(iin, kvn, await authorization.RequireAsync(PortalPolicies.SecurityOfficer), reason);

    /// <summary>Reinstates a suspended key set, with a reason.</summary>
    public async Task<IssuerKeySet> ReinstateAsync(string iin, int kvn, string reason) =>
        await keys.ReinstateAsync(iin, kvn, await authorization.RequireAsync(PortalPolicies.SecurityOfficer), reason);

    /// <summary>Retires a key set for good, with a reason.</summary>
    public async Task<IssuerKeySet> RetireAsync(string iin, int kvn, string reason) =>
        await keys.RetireAsync(iin, kvn, await authorization.RequireAsync(PortalPolicies.SecurityOfficer), reason);
}
