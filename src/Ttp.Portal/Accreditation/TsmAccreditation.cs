using Ttp.Domain.Tsms;
using Ttp.Portal.Security;

namespace Ttp.Portal.Accreditation;

/// <summary>
/// The portal's edge over <see cref="TsmService"/> for every accreditation change: each method first requires the
/// Operator policy of the signed-in staff member (<see cref="StaffAuthorization.RequireAsync"/>), then calls the domain,
/// which applies the rules (four-eyes, states, certificates) and writes the audit record. Pages call nothing else to
/// change a TSM. A scoped service, one per circuit.
/// </summary>
public sealed class TsmAccreditation(StaffAuthorization authorization, TsmService tsms, TsmChangeService changes)
{
    /// <summary>Registers a TSM (pending approval by a second Operator).</summary>
    public async Task<Tsm> RegisterAsync(TsmRegistration registration, byte[] certificate) =>
        await tsms.RegisterAsync(registration, certificate, await authorization.RequireAsync(PortalPolicies.Operator));

    /// <summary>Approves a TSM as the signed-in Operator (not the one who registered it).</summary>
    public async Task<Tsm> ApproveAsync(string name)
    {
        var actor = await authorization.RequireAsync(PortalPolicies.Operator);
        return await tsms.ApproveAsync(name, StaffAuthorization.EmailOf(await authorization.UserAsync()), actor);
    }

    /// <summary>Rejects a TSM, with a reason, as the signed-in Operator (not the one who registered it).</summary>
    public async Task<Tsm> RejectAsync(string name, string reason)
    {
        var actor = await authorization.RequireAsync(PortalPolicies.Operator);
        return await tsms.RejectAsync(name, StaffAuthorization.EmailOf(await authorization.UserAsync()), reason, actor);
    }

    /// <summary>Suspends an active TSM.</summary>
    public async Task<Tsm> SuspendAsync(string name, string reason) =>
        await tsms.SuspendAsync(name, reason, await authorization.RequireAsync(PortalPolicies.Operator));

    /// <summary>Proposes to reinstate a suspended TSM (a second Operator approves).</summary>
    public async Task<Tsm> ReinstateAsync(string name, string reason) =>
        await tsms.ReinstateAsync(name, reason, await authorization.RequireAsync(PortalPolicies.Operator));

    /// <summary>Revokes a TSM for good.</summary>
    public async Task<Tsm> RevokeAsync(string name, string reason) =>
        await tsms.RevokeAsync(name, reason, await authorization.RequireAsync(PortalPolicies.Operator));

    /// <summary>Replaces a TSM's issuer scope and rate limit (null: the configured default); what widens it is proposed.</summary>
    public async Task<Tsm> UpdateScopeAsync(string name, IReadOnlyList<string> issuers, double? rateLimitPerSecond) =>
        await tsms.UpdateScopeAsync(name, issuers, rateLimitPerSecond, await authorization.RequireAsync(PortalPolicies.Operator));

    /// <summary>Adds a client certificate (rotation): proposed for a second Operator once the TSM is approved.</summary>
    public async Task<Tsm> AddCertificateAsync(string name, byte[] certificate) =>
        await tsms.AddCertificateAsync(name, certificate, await authorization.RequireAsync(PortalPolicies.Operator));

    /// <summary>Retires a client certificate at <paramref name="retireAt"/>.</summary>
    public async Task<Tsm> RetireCertificateAsync(string name, string sha256Thumbprint, DateTimeOffset retireAt) =>
        await tsms.RetireCertificateAsync(name, sha256Thumbprint, retireAt, await authorization.RequireAsync(PortalPolicies.Operator));

    /// <summary>Approves a proposed change as the signed-in Operator (not its proposer); it takes effect.</summary>
    public async Task<Tsm> ApproveChangeAsync(Guid changeId)
    {
        var actor = await authorization.RequireAsync(PortalPolicies.Operator);
        return await changes.ApproveAsync(changeId, StaffAuthorization.EmailOf(await authorization.UserAsync()), actor);
    }

    /// <summary>Rejects a proposed change, with a reason, as the signed-in Operator (not its proposer).</summary>
    public async Task<Tsm> RejectChangeAsync(Guid changeId, string reason)
    {
        var actor = await authorization.RequireAsync(PortalPolicies.Operator);
        return await changes.RejectAsync(changeId, StaffAuthorization.EmailOf(await authorization.UserAsync()), reason, actor);
    }
}
