namespace Ttp.Portal.Audit;

/// <summary>Registers the auditor's edge (<see cref="AuditAdministration"/>).</summary>
public static class AuditExtensions
{
    /// <summary>Adds <see cref="AuditAdministration"/>, scoped like the <see cref="Security.StaffAuthorization"/> it uses.</summary>
    public static IServiceCollection AddPortalAudit(this IServiceCollection services) =>
        services.AddScoped<AuditAdministration>();
}
