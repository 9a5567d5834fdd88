using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Security;

/// <summary>
/// Identity's sign-in manager; a disabled account can neither sign in nor keep a session (its stamp fails). Every
/// attempt through it is audited by <see cref="SignInAudit"/> (success, refused password, code or recovery code,
/// lockout, sign-out) with the remote address, in this one place whichever page asked; and the time of a sign-in is kept
/// in the cookie's properties (<see cref="SignedInAtItem"/>), which renewals carry over.
/// </summary>
public sealed class StaffSignInManager(
    UserManager<StaffUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<StaffUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<StaffUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StaffUser> confirmation,
    SignInAudit audit,
    TimeProvider time)
    : SignInManager<StaffUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>The cookie property holding when this session signed in (round-trip UTC time).</summary>
    public const string SignedInAtItem = "ttp.signed-in-at";

    /// <summary>When the session of <paramref name="properties"/> signed in; null for a cookie issued before this was kept.</summary>
    public static DateTimeOffset? SignedInAt(AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(SignedInAtItem, out var text) == true
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
            ? at
            : null;

    /// <inheritdoc />
    public override async Task<bool> CanSignInAsync(StaffUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return !user.IsDisabled && await base.CanSignInAsync(user);
    }

    /// <inheritdoc />
    public override async Task<bool> ValidateSecurityStampAsync(StaffUser? user, string? securityStamp) =>
        user is { IsDisabled: false } && await base.ValidateSecurityStampAsync(user, securityStamp);

    /// <inheritdoc />
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        if (await UserManager.FindByNameAsync(userName) is null)
        {
            // Identity answers Failed without creating anything; the attempt is recorded all the same.
            await audit.RefusedAsync(SignInAudit.Step.Password, userName, SignInAudit.Reason.UnknownAccount, RemoteAddress);
            return SignInResult.Failed;
        }

        return await base.PasswordSignInAsync(userName, password, isPersistent, lockoutOnFailure);
    }

    /// <inheritdoc />
    public override async Task<SignInResult> PasswordSignInAsync(StaffUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        if (result.Succeeded)
        {
            await audit.SignedInAsync(user.Email!, "password", RemoteAddress);
        }

        return result;
    }

    /// <inheritdoc />
    public override async Task<SignInResult> CheckPasswordSignInAsync(StaffUser user, string password, bool lockoutOnFailure)
    {
        ArgumentNullException.ThrowIfNull(user);
        var wasLockedOut = await UserManager.IsLockedOutAsync(user);
        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        await RecordRefusalAsync(SignInAudit.Step.Password, user, wasLockedOut, result);
        return result;
    }

    /// <inheritdoc />
    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var wasLockedOut = user is not null && await UserManager.IsLockedOutAsync(user);
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        await RecordSecondStepAsync(SignInAudit.Step.AuthenticatorCode, "password-totp", user, wasLockedOut, result);
        return result;
    }

    /// <inheritdoc />
    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var wasLockedOut = user is not null && await UserManager.IsLockedOutAsync(user);
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        await RecordSecondStepAsync(SignInAudit.Step.RecoveryCode, "password-recovery-code", user, wasLockedOut, result);
        return result;
    }

    /// <inheritdoc />
    public override async Task SignInWithClaimsAsync(StaffUser user, AuthenticationProperties? authenticationProperties, IEnumerable<System.Security.Claims.Claim> additionalClaims)
    {
        // A refresh (new claims after enrolment, a password change) passes the current properties: the time stays.
        authenticationProperties ??= new AuthenticationProperties();
        if (SignedInAt(authenticationProperties) is null)
        {
            authenticationProperties.Items[SignedInAtItem] = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        }

        await base.SignInWithClaimsAsync(user, authenticationProperties, additionalClaims);
    }

    /// <inheritdoc />
    public override async Task SignOutAsync()
    {
        var principal = Context.User;
        await base.SignOutAsync();
        if (principal.Identity?.IsAuthenticated == true && StaffAuthorization.EmailOrNull(principal) is { } email)
        {
            await audit.SignedOutAsync(email, RemoteAddress);
        }
    }

    private string? RemoteAddress => Context.Connection.RemoteIpAddress?.ToString();

    private async Task RecordSecondStepAsync(SignInAudit.Step step, string method, StaffUser? user, bool wasLockedOut, SignInResult result)
    {
        if (user is null)
        {
            return;
        }

        if (result.Succeeded)
        {
            await audit.SignedInAsync(user.Email!, method, RemoteAddress);
            return;
        }

        await RecordRefusalAsync(step, user, wasLockedOut, result);
    }

    /// <summary>Records a refused attempt, and the lockout it caused; a success or a step still to come records nothing.</summary>
    private async Task RecordRefusalAsync(SignInAudit.Step step, StaffUser user, bool wasLockedOut, SignInResult result)
    {
        if (result.Succeeded || result.RequiresTwoFactor)
        {
            return;
        }

        var reason = result.IsNotAllowed ? SignInAudit.Reason.Disabled
            : result.IsLockedOut && wasLockedOut ? SignInAudit.Reason.LockedOut
            : SignInAudit.Reason.Wrong;
        await audit.RefusedAsync(step, user.Email, reason, RemoteAddress);

        // This attempt was the one too many (a wrong code answers Failed even then): the lockout is an event of its own.
        if (!wasLockedOut && reason == SignInAudit.Reason.Wrong && await UserManager.IsLockedOutAsync(user))
        {
            await audit.LockedOutAsync(user.Email!, user.LockoutEnd, RemoteAddress);
        }
    }
}
