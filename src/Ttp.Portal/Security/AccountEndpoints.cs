using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Security;

/// <summary>The account endpoints that are not pages: sign-out (POST with the antiforgery token of its form).</summary>
public static class AccountEndpoints
{
    /// <summary>Maps <c>POST /account/logout</c>; without a valid antiforgery token it answers 400 and signs nobody out.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Validated here rather than through [FromForm] binding, whose failure is an exception (a 500 page behind the
        // exception handler) instead of a plain 400.
        endpoints.MapPost("/account/logout", async (HttpContext context, IAntiforgery antiforgery, SignInManager<StaffUser> signIn) =>
            {
                if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
                {
                    return Results.BadRequest();
                }

                await signIn.SignOutAsync();
                return Results.LocalRedirect("~/account/login");
            })
            .AllowAnonymous()
            .DisableAntiforgery();
        return endpoints;
    }
}
