using Ttp.Domain.Alerts;
using Ttp.Domain.Audit;
using Ttp.Portal.Hosting;
using Ttp.Portal.Security;

namespace Ttp.Portal.Audit;

/// <summary>
/// The portal's edge for what an auditor does beside reading: acknowledging an alert and starting the verification of the
/// whole trail. Each method first requires the <see cref="PortalPolicies.ReviewAudit"/> policy of the signed-in staff
/// member (Auditors and Security officers), then calls the domain, which writes the audit record (and, for an alert,
/// checks the role again). A scoped service, one per circuit.
/// </summary>
public sealed class AuditAdministration(StaffAuthorization authorization, AlertService alerts, AuditVerificationRunner verifications)
{
    /// <summary>Acknowledges an open alert, with an optional note (audited; final).</summary>
    public async Task<AuditAlert> AcknowledgeAlertAsync(Guid alertId, string? note) =>
        await alerts.AcknowledgeAsync(alertId, await authorization.RequireAsync(PortalPolicies.ReviewAudit), string.IsNullOrEmpty(note) ? null : note);

    /// <summary>Starts the verification of the whole trail in the background (one at a time per installation; audited).</summary>
    public async Task<AuditVerification> StartVerificationAsync() =>
        await verifications.StartAsync(await authorization.RequireAsync(PortalPolicies.ReviewAudit));
}
