using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Security;

/// <summary>
/// Staff sign-in (docs/DESIGN.md section 7): Identity cookies, the sign-in manager that refuses disabled accounts, the
/// single-use TOTP provider, the claim that sends a staff member without a second factor to enrolment, and the
/// circuit's revalidating authentication state.
/// </summary>
public static class IdentityExtensions
{
    /// <summary>Registers authentication for the portal (the domain registers Identity's stores and options).</summary>
    public static WebApplicationBuilder AddPortalIdentity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddScoped<AuthenticationStateProvider, StaffAuthenticationStateProvider>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/access-denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Cookie.Name = "ttp.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        // Cookies are protected by data-protection keys kept in the database (every node reads the same ring), each
        // row an LMK envelope (DatabaseXmlRepository) and each key's descriptor sealed under the LMK too
        // (LmkXmlEncryptor): no key is kept in clear at rest. Key files of an older installation are imported once
        // (DataProtectionKeyImport, run by the domain initializer).
        services.AddDataProtection().SetApplicationName("Ttp.Portal");
        services.AddOptions<KeyManagementOptions>()
            .Configure<Ttp.Domain.KeyStore.DataProtectionKeyStore, Ttp.Domain.KeyStore.KeyVault>((o, store, vault) =>
            {
                o.XmlRepository = new DatabaseXmlRepository(store);
                o.XmlEncryptor = new LmkXmlEncryptor(vault);
            });

        new IdentityBuilder(typeof(StaffUser), typeof(IdentityRole<Guid>), services)
            .AddSignInManager<StaffSignInManager>()
            .AddClaimsPrincipalFactory<StaffClaimsPrincipalFactory>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<SingleUseAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);
        return builder;
    }

    /// <summary>
    /// Authentication, authorization, then the password-change gate (an account whose password someone else chose reaches
    /// only the password page until it changes it) and the enrolment gate: a signed-in staff member who needs a second factor and has
    /// none reaches only the account pages and assets until they enrol (pages redirect there; anything else is 403).
    /// </summary>
    public static WebApplication UsePortalIdentity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            // First a password someone else chose is replaced, then a missing second factor enrolled.
            var heldAt = StaffAccountService.MustChangePassword(context.User) && !AllowedDuringPasswordChange(context) ? PortalClaims.PasswordChangePath
                : context.User.MustEnrolAuthenticator() && !AllowedDuringEnrolment(context) ? PortalClaims.EnrolmentPath
                : null;
            if (heldAt is not null)
            {
                if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Redirect(heldAt);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                }

                return;
            }

            await next(context);
        });
        return app;
    }

    /// <summary>The password page, signing out, and whatever anyone may reach anyway.</summary>
    private static bool AllowedDuringPasswordChange(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
        || context.Request.Path.StartsWithSegments(PortalClaims.PasswordChangePath, StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.StartsWithSegments("/account/logout", StringComparison.OrdinalIgnoreCase)
        || (AllowedDuringEnrolment(context.Request.Path) && !context.Request.Path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase));

    /// <summary>The account pages, and whatever anyone may reach anyway (static assets, error pages: <c>[AllowAnonymous]</c>).</summary>
    private static bool AllowedDuringEnrolment(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
        || AllowedDuringEnrolment(context.Request.Path);

    private static bool AllowedDuringEnrolment(PathString path) =>
        path.StartsWithSegments("/account", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/assets", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/_framework", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/_content", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/not-found", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/Error", StringComparison.OrdinalIgnoreCase);
}
