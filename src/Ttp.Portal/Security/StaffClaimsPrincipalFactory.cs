using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Security;

/// <summary>
/// Identity's claims (name, e-mail, roles, security stamp) plus <see cref="PortalClaims.AuthenticatorRequired"/> while a
/// staff member who needs a second factor has none enrolled; the claims are rebuilt at each sign-in refresh.
/// </summary>
public sealed class StaffClaimsPrincipalFactory(UserManager<StaffUser> users, RoleManager<IdentityRole<Guid>> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole<Guid>>(users, roles, options)
{
    /// <inheritdoc />
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        var roleNames = identity.FindAll(Options.ClaimsIdentity.RoleClaimType).Select(c => c.Value).ToList();
        if (!user.TwoFactorEnabled && PortalClaims.NeedsAuthenticator(roleNames))
        {
            identity.AddClaim(new Claim(PortalClaims.AuthenticatorRequired, "true"));
        }

        return identity;
    }
}
