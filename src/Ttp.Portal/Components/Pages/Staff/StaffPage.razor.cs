using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Components.Pages.Staff;

/// <summary>Staff accounts and pending invitations; every change through <see cref="Portal.Staff.StaffAdministration"/>.</summary>
public sealed partial class StaffPage
{
    private IReadOnlyList<StaffMember> _members = [];
    private IReadOnlyList<StaffInvitationInfo> _invitations = [];
    private bool _loading = true;

    protected override Task OnInitializedAsync() => RefreshAsync();

    private async Task RefreshAsync()
    {
        _loading = true;
        try
        {
            _members = await Administration.ListAsync();
            _invitations = await Administration.ListInvitationsAsync();
        }
        catch (DomainException e)
        {
            Snackbar.Add(Sentence(e.Message), Severity.Error);
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task InviteAsync()
    {
        // The dialog invites and shows the link itself; it stays open until the Administrator says they have it.
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, BackdropClick = false, CloseOnEscapeKey = false };
        var dialog = await Dialogs.ShowAsync<InviteDialog>("Invite a staff member", options);
        await dialog.Result;
        await RefreshAsync();
    }

    private async Task ChangeRolesAsync(StaffMember member)
    {
        var parameters = new DialogParameters<RolesDialog>
        {
            { d => d.Member, member },
            { d => d.Submit, async roles => { await Administration.ChangeRolesAsync(member.Email, roles); return $"Roles of {member.Email} changed."; } },
        };
        var dialog = await Dialogs.ShowAsync<RolesDialog>($"Roles of {member.Email}", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        await Shared.PageActions.AfterDialogAsync(Snackbar, dialog, RefreshAsync);
    }

    // Asks in a dialog that runs the change itself: a refusal stays in the dialog; a success closes it with one snackbar.
    private async Task ConfirmAsync(StaffMember member, string action, string question, Func<string, Task> change)
    {
        var parameters = new DialogParameters<Shared.ConfirmDialog>
        {
            { d => d.Message, question },
            { d => d.ConfirmText, action },
            { d => d.Submit, async () => { await change(member.Email); return $"{action}: done for {member.Email}."; } },
        };
        await Shared.PageActions.AfterDialogAsync(Snackbar, await Dialogs.ShowAsync<Shared.ConfirmDialog>(action, parameters), RefreshAsync);
    }

    private async Task RevokeInvitationAsync(StaffInvitationInfo invitation)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Revoke invitation",
            $"Revoke the invitation of {invitation.Email}? Its link stops working at once; invite them again to send a new one.",
            yesText: "Revoke", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(() => Administration.RevokeInvitationAsync(invitation.Id), $"The invitation of {invitation.Email} was revoked.");
        }
    }

    private async Task<bool> RunAsync(Func<Task> change, string done)
    {
        try
        {
            await change();
            Snackbar.Add(done, Severity.Success);
            return true;
        }
        catch (DomainException e)
        {
            Snackbar.Add(Sentence(e.Message), Severity.Error);
            return false;
        }
        finally
        {
            await RefreshAsync();
        }
    }

    private static string Sentence(string message) => Shared.PageActions.Sentence(message, "The change was refused.");
}
