namespace Ttp.Portal.Security;

/// <summary>The portal's authorization: the policies of <see cref="PortalPolicies"/> and <see cref="StaffAuthorization"/>.</summary>
public static class AuthorizationExtensions
{
    /// <summary>Registers the role policies and the per-circuit <see cref="StaffAuthorization"/>.</summary>
    public static IServiceCollection AddPortalAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPortalPolicies();
        services.AddScoped<StaffAuthorization>();
        return services;
    }
}
