using System.Security.Claims;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Security;

/// <summary>The portal's own claims in the sign-in cookie, and the rule of who needs a second factor.</summary>
public static class PortalClaims
{
    /// <summary>Present (value <c>true</c>) while a staff member who needs a second factor has not enrolled one.</summary>
    public const string AuthenticatorRequired = "ttp:authenticator-required";

    /// <summary>The enrolment page every such staff member is sent to.</summary>
    public const string EnrolmentPath = "/account/enrol-authenticator";

    /// <summary>The page an account whose password someone else chose is held at until it changes it.</summary>
    public const string PasswordChangePath = "/account/password";

    /// <summary>TOTP is required for every role but Auditor (docs/DESIGN.md section 7): only an Auditor-only account may go without.</summary>
    public static bool NeedsAuthenticator(IEnumerable<string> roles) =>
        roles.Any(r => !string.Equals(r, StaffRoles.Auditor, StringComparison.Ordinal)) || !roles.Any();

    /// <summary>Whether <paramref name="user"/> is signed in but still has to enrol an authenticator.</summary>
    public static bool MustEnrolAuthenticator(this ClaimsPrincipal user) =>
        user?.HasClaim(AuthenticatorRequired, "true") == true;
}
