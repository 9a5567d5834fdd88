using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Ttp.Domain;
using Ttp.Domain.Staff;
using Ttp.Portal.Security;

namespace Ttp.Portal.Components.Account.Pages;

/// <summary>
/// The enrolment page of a staff invitation (<see cref="EnrolmentLink"/>): anonymous and static, like the first-run
/// setup. The invitee's link is looked up (a used, withdrawn, expired or unknown link gets its reason, never an error
/// page); they see the address and roles, choose their password, which creates the account
/// (<see cref="StaffInvitationService.RedeemAsync"/>), are signed in and go on to the same authenticator enrolment as
/// everyone else (<see cref="PortalClaims.EnrolmentPath"/>), which ends with their recovery codes.
/// </summary>
public sealed partial class EnrolPage
{
    private StaffInvitationInfo? _invitation;
    private string? _invalid;
    private string? _message;
    private string? _signedInAs;
    private bool _passwordPosted;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "enrol-link")]
    private LinkInput Link { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "enrol-password")]
    private PasswordInput Input { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        Link ??= new();
        Input ??= new();
        if (HttpContext.User.Identity?.IsAuthenticated == true)
        {
            _signedInAs = StaffAuthorization.EmailOf(HttpContext.User);
            return;
        }

        // A posted password comes with its token: look the invitation up again, so the form is there to receive it.
        if (HttpMethods.IsPost(HttpContext.Request.Method) && !string.IsNullOrEmpty(Input.Token))
        {
            _passwordPosted = true;
            await LookUpAsync(Input.Token);
        }
    }

    private async Task OpenAsync()
    {
        if (_signedInAs is null)
        {
            await LookUpAsync(EnrolmentLink.TokenOf(Link.Value));
        }
    }

    private async Task EnrolAsync()
    {
        if (_signedInAs is not null || _invitation is null || _invalid is not null)
        {
            return;
        }

        StaffUser created;
        try
        {
            created = await Invitations.RedeemAsync(Input.Token, Input.Password);
        }
        catch (DomainInputException e)
        {
            // The password does not meet the policy: the link stays usable, the form stays (empty: no password is
            // written back into the page).
            _message = Sentence(e.Message);
            Input.Password = Input.ConfirmPassword = string.Empty;
            return;
        }
        catch (DomainException e)
        {
            _invalid = Sentence(e.Message);
            return;
        }

        var user = await UserManager.FindByIdAsync(created.Id.ToString());
        if (user is null)
        {
            _invalid = "The account was created, but could not be signed in: sign in with your new password.";
            return;
        }

        await SignInManager.SignInAsync(user, isPersistent: false);
        await Staff.RecordAccountEventAsync(user.Email!, "user.signed-in", "enrolment-link");
        Navigation.NavigateTo(PortalClaims.EnrolmentPath.TrimStart('/'), forceLoad: true);
    }

    private async Task LookUpAsync(string token)
    {
        Input.Token = token;
        try
        {
            _invitation = await Invitations.LookUpAsync(token);
            _invalid = null;
        }
        catch (DomainException e)
        {
            _invitation = null;
            _invalid = Sentence(e.Message);
        }
    }

    private static string Sentence(string message) => Components.Shared.PageActions.Sentence(message, "This enrolment link cannot be used.");

    private static string Format(DateTimeOffset time) => Ttp.Portal.Components.Shared.TimeDisplay.Format(time);

    private sealed class LinkInput
    {
        [Required(ErrorMessage = "Paste the enrolment link you received.")]
        public string Value { get; set; } = string.Empty;
    }

    private sealed class PasswordInput
    {
        public string Token { get; set; } = string.Empty;

        [Required(ErrorMessage = "Choose a password.")]
        [MinLength(12, ErrorMessage = "The password needs at least 12 characters.")]
        public string Password { get; set; } = string.Empty;

        [Compare(nameof(Password), ErrorMessage = "The two passwords differ.")]
        public string ConfirmPassword { get; set; } = string.Empty;
    }
}
