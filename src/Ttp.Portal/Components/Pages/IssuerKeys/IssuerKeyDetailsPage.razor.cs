using Microsoft.AspNetCore.Components;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Integrity;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.KeyStore;
using Ttp.Portal.Components.Shared;
using Ttp.Portal.Security;

namespace Ttp.Portal.Components.Pages.IssuerKeys;

/// <summary>One issuer key set: attributes, whether its master key still opens, its timeline; suspend, reinstate, retire for Security officers.</summary>
public sealed partial class IssuerKeyDetailsPage
{
    private IssuerKeySet? _set;
    private IReadOnlyList<AuditEvent> _events = [];
    private DamagedKey? _damaged;
    private string? _checkFailed;
    private string? _notFound;
    private bool _canAct;
    private bool _busy;

    [Parameter]
    public string Iin { get; set; } = string.Empty;

    [Parameter]
    public int Kvn { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        _canAct = await Staff.IsAllowedAsync(PortalPolicies.SecurityOfficer);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _set = await Keys.GetAsync(Iin, Kvn);
            _events = await Audit.StaffActionsForSubjectAsync(IssuerKeyService.AuditSubject(_set.Iin, _set.Kvn));
            _notFound = null;
        }
        catch (DomainException e) when (e is NotFoundException or DomainInputException)
        {
            _notFound = e.Message;
            return;
        }

        try
        {
            _damaged = await KeyCheck.CheckAsync(_set);
            _checkFailed = null;
        }
        catch (LmkUnavailableException e)
        {
            _damaged = null;
            _checkFailed = e.Message;
        }
    }

    private Task SuspendAsync() => ReasonAsync(
        "Suspend key set",
        $"Suspend key set {_set!.Iin}/{_set.Kvn}? Key requests no longer use it until it is reinstated.",
        "Suspend", Color.Warning, final: false,
        async reason => { await Administration.SuspendAsync(Iin, Kvn, reason); return "Key set suspended."; });

    private Task ReinstateAsync() => ReasonAsync(
        "Reinstate key set", $"Reinstate key set {_set!.Iin}/{_set.Kvn}? Key requests use it again.", "Reinstate", Color.Success, final: false,
        async reason => { await Administration.ReinstateAsync(Iin, Kvn, reason); return "Key set reinstated."; });

    private Task RetireAsync() => ReasonAsync(
        "Retire key set", $"Retire key set {_set!.Iin}/{_set.Kvn}? It will never be used again.", "Retire", Color.Error, final: true,
        async reason => { await Administration.RetireAsync(Iin, Kvn, reason); return "Key set retired."; });

    // Read when the dialog opens, so that the warning reflects the other key sets as they are now. The dialog runs the
    // change itself and stays open, with the reason typed, on a refusal.
    private async Task ReasonAsync(string title, string message, string confirm, Color color, bool final, Func<string, Task<string>> change)
    {
        var lastActive = await Keys.IsLastActiveAsync(_set!.Iin, _set.Kvn);
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, confirm },
            { d => d.ConfirmColor, color },
            { d => d.Final, final },
            {
                d => d.Warning,
                lastActive ? $"This is the last active key set of issuer {_set.Iin}: key requests for that issuer will be refused." : null
            },
            { d => d.Submit, change },
        };
        await DialogAsync(await Dialogs.ShowAsync<ReasonDialog>(title, parameters));
    }

    // The dialog runs the change (every change goes through the edge service, which checks the policy); a refusal stays in
    // the dialog, a success closes it with one snackbar; the page's buttons wait meanwhile and the page reloads.
    private async Task DialogAsync(IDialogReference dialog)
    {
        _busy = true;
        try
        {
            await PageActions.AfterDialogAsync(Snackbar, dialog, LoadAsync);
        }
        finally
        {
            _busy = false;
        }
    }
}
