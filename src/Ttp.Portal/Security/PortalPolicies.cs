using Microsoft.AspNetCore.Authorization;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Security;

/// <summary>
/// The portal's authorization policies (docs/DESIGN.md section 7), one per role, checked on every page
/// (<c>[Authorize(Policy = ...)]</c>) and before every state-changing service call the portal makes. Separation of duties
/// (who may approve what) is a rule of the domain; these policies only say which role may reach a page or action.
/// </summary>
public static class PortalPolicies
{
    /// <summary>Staff accounts and roles.</summary>
    public const string Administrator = StaffRoles.Administrator;

    /// <summary>TSM accreditation: register, approve, suspend, reinstate, revoke, scope, certificates.</summary>
    public const string Operator = StaffRoles.Operator;

    /// <summary>Ceremonies, issuer key activation and retirement.</summary>
    public const string SecurityOfficer = StaffRoles.SecurityOfficer;

    /// <summary>Key components in ceremonies.</summary>
    public const string KeyCustodian = StaffRoles.KeyCustodian;

    /// <summary>Read-only review: audit trail, key requests, exports.</summary>
    public const string Auditor = StaffRoles.Auditor;

    /// <summary>
    /// Read access to the accreditation pages (TSM lists, details, timelines): Operators, and Security officers who
    /// run the TSMs' KEK ceremonies. Auditors review TSM changes in the audit trail, not on the accreditation pages.
    /// </summary>
    public const string ViewTsms = nameof(ViewTsms);

    /// <summary>
    /// The audit trail's integrity (anchoring status, the audit public key, damaged records, verification): Auditors, and
    /// Security officers who answer for the keys.
    /// </summary>
    public const string ReviewAudit = nameof(ReviewAudit);

    /// <summary>
    /// Read access to the issuer key sets (list, details, timelines): Security officers, who suspend, reinstate and retire
    /// them, and Auditors, read-only.
    /// </summary>
    public const string ViewIssuerKeys = nameof(ViewIssuerKeys);

    /// <summary>
    /// Read access to the key ceremonies (list, details, timelines): Security officers, who open, confirm and abort them,
    /// Key custodians, who enter or receive components, and Auditors, read-only.
    /// </summary>
    public const string ViewCeremonies = nameof(ViewCeremonies);

    /// <summary>
    /// The key-request search (<c>/audit/key-requests</c>): Auditors, Security officers, and Operators, who answer a TSM's
    /// questions about its requests. Read-only.
    /// </summary>
    public const string ViewKeyRequests = nameof(ViewKeyRequests);

    /// <summary>Registers one policy per role, plus <see cref="ViewTsms"/>, <see cref="ReviewAudit"/>, <see cref="ViewIssuerKeys"/>, <see cref="ViewCeremonies"/> and <see cref="ViewKeyRequests"/>; every policy requires a signed-in user.</summary>
    public static AuthorizationBuilder AddPortalPolicies(this AuthorizationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var role in StaffRoles.All)
        {
            builder.AddPolicy(role, p => p.RequireAuthenticatedUser().RequireRole(role));
        }

        return builder
            .AddPolicy(ViewTsms, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Operator, StaffRoles.SecurityOfficer))
            .AddPolicy(ReviewAudit, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Auditor, StaffRoles.SecurityOfficer))
            .AddPolicy(ViewIssuerKeys, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.SecurityOfficer, StaffRoles.Auditor))
            .AddPolicy(ViewCeremonies, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.SecurityOfficer, StaffRoles.KeyCustodian, StaffRoles.Auditor))
            .AddPolicy(ViewKeyRequests, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Auditor, StaffRoles.SecurityOfficer, StaffRoles.Operator));
    }
}
