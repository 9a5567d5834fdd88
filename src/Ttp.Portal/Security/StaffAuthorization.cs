using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Ttp.Domain;

namespace Ttp.Portal.Security;

/// <summary>
/// Who is acting in this circuit or request, and whether a policy allows it: every state-changing call the portal
/// makes into the domain goes through <see cref="RequireAsync"/> first, so that a page reached by mistake (or a
/// crafted circuit message) cannot change anything its role may not. A scoped service.
/// </summary>
public sealed class StaffAuthorization(AuthenticationStateProvider authentication, IAuthorizationService authorization)
{
    /// <summary>The signed-in staff member; throws <see cref="AccessDeniedException"/> when nobody is signed in.</summary>
    public async Task<ClaimsPrincipal> UserAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        if (state.User.Identity?.IsAuthenticated != true)
        {
            throw new AccessDeniedException("sign in first");
        }

        return Ttp.Domain.Staff.StaffAccountService.MustChangePassword(state.User) ? throw new AccessDeniedException("change your password first")
            : state.User.MustEnrolAuthenticator() ? throw new AccessDeniedException("enrol an authenticator first")
            : state.User;
    }

    /// <summary>Whether the signed-in staff member satisfies <paramref name="policy"/> (a <see cref="PortalPolicies"/> name).</summary>
    public async Task<bool> IsAllowedAsync(string policy)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.Identity?.IsAuthenticated == true && !state.User.MustEnrolAuthenticator()
            && !Ttp.Domain.Staff.StaffAccountService.MustChangePassword(state.User) && (await authorization.AuthorizeAsync(state.User, policy)).Succeeded;
    }

    /// <summary>
    /// The acting staff member as the domain records them (<c>user:email</c>), after checking <paramref name="policy"/>;
    /// throws <see cref="AccessDeniedException"/> when the policy does not allow it.
    /// </summary>
    public async Task<Actor> RequireAsync(string policy)
    {
        var user = await UserAsync();
        if (!(await authorization.AuthorizeAsync(user, policy)).Succeeded)
        {
            throw new AccessDeniedException($"your role does not allow this (requires {policy})");
        }

        return Actor.Staff(EmailOf(user));
    }

    /// <summary>The e-mail address (the user name) of a signed-in staff member, or null when the principal carries none.</summary>
    public static string? EmailOrNull(ClaimsPrincipal user) =>
        user?.FindFirstValue(ClaimTypes.Email) ?? user?.Identity?.Name;

    /// <summary>The e-mail address (the user name) of a signed-in staff member.</summary>
    public static string EmailOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name
            ?? throw new AccessDeniedException("the sign-in carries no e-mail address");
    }
}
