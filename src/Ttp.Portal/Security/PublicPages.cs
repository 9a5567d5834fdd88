using Microsoft.AspNetCore.Authorization;

namespace Ttp.Portal.Security;

/// <summary>
/// The pages anyone may reach without signing in, besides the account pages (among them the enrolment page of a staff
/// invitation, <c>/account/enrol</c>) and <c>/setup</c>, which carry <c>[AllowAnonymous]</c> themselves: the error and
/// not-found pages, so that an anonymous visitor sees them too.
/// </summary>
public static class PublicPages
{
    private static readonly string[] Routes = ["/not-found", "/Error"];

    /// <summary>Adds <see cref="AllowAnonymousAttribute"/> to the page endpoints of <see cref="Routes"/>.</summary>
    public static RazorComponentsEndpointConventionBuilder AllowAnonymousErrorPages(this RazorComponentsEndpointConventionBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route
                && Routes.Any(r => string.Equals(route.RoutePattern.RawText, r, StringComparison.OrdinalIgnoreCase)))
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
            }
        });
        return builder;
    }
}
