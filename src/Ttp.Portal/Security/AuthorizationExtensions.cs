using Microsoft.AspNetCore.Authorization;

namespace Ttp.Portal.Security;

/// <summary>The portal's authorization: the policies of <see cref="PortalPolicies"/> and <see cref="StaffAuthorization"/>.</summary>
public static class AuthorizationExtensions
{
    /// <summary>
    /// Registers the role policies, the per-circuit <see cref="StaffAuthorization"/>, and the fallback policy: every
    /// endpoint without its own authorization needs a signed-in staff member (account pages, <c>/setup</c> and the error
    /// pages are <c>[AllowAnonymous]</c>; assets are served before authorization). A request that matches no endpoint is
    /// let through so that it ends as the 404 page rather than a sign-in redirect.
    /// </summary>
    public static IServiceCollection AddPortalAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPortalPolicies()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .RequireAssertion(context =>
                    context.User.Identity?.IsAuthenticated == true
                    || (context.Resource is HttpContext http && http.GetEndpoint() is null))
                .Build());
        services.AddScoped<StaffAuthorization>();
        return services;
    }
}
