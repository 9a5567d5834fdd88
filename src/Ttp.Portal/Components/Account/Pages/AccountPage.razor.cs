using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Ttp.Domain.Staff;
using Ttp.Portal.Security;

namespace Ttp.Portal.Components.Account.Pages;

/// <summary>
/// A staff member's own account (every role): address, roles in words, the password (a link to change it), the second
/// factor and recovery codes left, and this session (when it signed in, from where) with "sign out everywhere", which
/// gives the account a new security stamp (<see cref="StaffAccountService.SignOutEverywhereAsync"/>, audited) and ends
/// this session at once. Identity keeps no list of sessions, so none is shown. Static, like every account page.
/// </summary>
public sealed partial class AccountPage
{
    private StaffAccount? _account;
    private DateTimeOffset? _signedInAt;
    private string? _remoteAddress;

    [Inject]
    private StaffAccountService Accounts { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromQuery]
    private string? Done { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var email = StaffAuthorization.EmailOf(HttpContext.User);
        _account = await Accounts.AccountAsync(email);
        var session = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        _signedInAt = StaffSignInManager.SignedInAt(session.Properties);
        _remoteAddress = HttpContext.Connection.RemoteIpAddress?.ToString();
    }

    private async Task SignOutEverywhereAsync()
    {
        await Accounts.SignOutEverywhereAsync(StaffAuthorization.EmailOf(HttpContext.User));

        // The new stamp ends the other sessions at their next validation; this one ends now (the audit record of
        // signing out everywhere stands for it).
        await HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        Navigation.NavigateTo("account/login?SignedOut=everywhere", forceLoad: true);
    }
}
