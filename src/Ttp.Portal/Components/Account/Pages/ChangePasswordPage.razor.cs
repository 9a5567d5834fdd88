using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Identity;
using Ttp.Domain;
using Ttp.Domain.Staff;
using Ttp.Portal.Security;

namespace Ttp.Portal.Components.Account.Pages;

/// <summary>
/// A staff member changes their own password (<see cref="StaffAccountService.ChangePasswordAsync"/>): the rules stated up
/// front (<see cref="PasswordRules"/>, Identity's own), refusals on the field they concern, and no password ever written
/// back into the page (the fields are emptied after every post). The page an account whose password someone else chose
/// is held at (<see cref="PortalClaims.PasswordChangePath"/>). On success the cookie is renewed (the change gave the
/// account a new security stamp, which ends its other sessions).
/// </summary>
public sealed partial class ChangePasswordPage
{
    private EditContext _edit = default!;
    private ValidationMessageStore _refusals = default!;
    private string? _message;
    private bool _required;

    [Inject]
    private StaffAccountService Accounts { get; set; } = default!;

    [Inject]
    private PasswordRules Rules { get; set; } = default!;

    [Inject]
    private UserManager<StaffUser> Users { get; set; } = default!;

    [Inject]
    private SignInManager<StaffUser> SignIn { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "change-password")]
    private PasswordInput Input { get; set; } = default!;

    protected override void OnInitialized()
    {
        Input ??= new();
        _edit = new EditContext(Input);
        _refusals = new ValidationMessageStore(_edit);
        _required = StaffAccountService.MustChangePassword(HttpContext.User);
    }

    private async Task ChangeAsync()
    {
        try
        {
            if (!_edit.Validate())
            {
                return;
            }

            if (Rules.Problem(Input.NewPassword) is { } problem)
            {
                Refuse(nameof(PasswordInput.NewPassword), problem);
                return;
            }

            var email = StaffAuthorization.EmailOf(HttpContext.User);
            try
            {
                await Accounts.ChangePasswordAsync(email, Input.CurrentPassword, Input.NewPassword);
            }
            catch (DomainInputException e)
            {
                var (field, message) = AccountText.FieldError(e.Message);
                Refuse(field switch
                {
                    "currentPassword" => nameof(PasswordInput.CurrentPassword),
                    "newPassword" => nameof(PasswordInput.NewPassword),
                    _ => null,
                }, message);
                return;
            }
            catch (DomainException e)
            {
                _message = Components.Shared.PageActions.Sentence(e.Message);
                return;
            }

            // The new stamp and the cleared requirement go into this browser's cookie; other sessions end.
            if (await Users.FindByEmailAsync(email) is { } user)
            {
                await SignIn.RefreshSignInAsync(user);
            }

            // A first change goes on into the portal (or to the authenticator enrolment, if one is still due).
            Navigation.NavigateTo(_required ? "" : "account?Done=password", forceLoad: true);
        }
        finally
        {
            // Never sent back: the value attribute of a password field stays empty whatever happened.
            Input.CurrentPassword = Input.NewPassword = Input.ConfirmPassword = string.Empty;
        }
    }

    private void Refuse(string? field, string message)
    {
        if (field is null)
        {
            _message = message;
            return;
        }

        _refusals.Add(_edit.Field(field), message);
        _edit.NotifyValidationStateChanged();
    }

    private sealed class PasswordInput
    {
        [Required(ErrorMessage = "Enter your current password.")]
        public string CurrentPassword { get; set; } = string.Empty;

        [Required(ErrorMessage = "Choose a new password.")]
        public string NewPassword { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter the new password again.")]
        [Compare(nameof(NewPassword), ErrorMessage = "The two new passwords differ.")]
        public string ConfirmPassword { get; set; } = string.Empty;
    }
}
