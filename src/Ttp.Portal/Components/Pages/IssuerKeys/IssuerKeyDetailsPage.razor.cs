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

    private async Task SuspendAsync()
    {
        var reason = await AskReasonAsync(
            "Suspend key set",
            $"Suspend key set {_set!.Iin}/{_set.Kvn}? Key requests no longer use it until it is reinstated.",
            "Suspend", Color.Warning, final: false);
        if (reason is not null)
        {
            await RunAsync(async () => { await Administration.SuspendAsync(Iin, Kvn, reason); return "Key set suspended."; });
        }
    }

    private async Task ReinstateAsync()
    {
        var reason = await AskReasonAsync(
            "Reinstate key set", $"Reinstate key set {_set!.Iin}/{_set.Kvn}? Key requests use it again.", "Reinstate", Color.Success, final: false);
        if (reason is not null)
        {
            await RunAsync(async () => { await Administration.ReinstateAsync(Iin, Kvn, reason); return "Key set reinstated."; });
        }
    }

    private async Task RetireAsync()
    {
        var reason = await AskReasonAsync(
            "Retire key set", $"Retire key set {_set!.Iin}/{_set.Kvn}? It will never be used again.", "Retire", Color.Error, final: true);
        if (reason is not null)
        {
            await RunAsync(async () => { await Administration.RetireAsync(Iin, Kvn, reason); return "Key set retired."; });
        }
    }

    // Read when the dialog opens, so that the warning reflects the other key sets as they are now.
    private async Task<string?> AskReasonAsync(string title, string message, string confirm, Color color, bool final)
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
        };
        var dialog = await Dialogs.ShowAsync<ReasonDialog>(title, parameters);
        return await dialog.Result is { Canceled: false, Data: string reason } ? reason : null;
    }

    // Every change goes through IssuerKeyAdministration (which requires the Security officer policy); a domain refusal
    // becomes one sentence; the page reloads.
    private Task RunAsync(Func<Task<string>> change) => PageActions.RunAsync(Snackbar, change, busy => _busy = busy, LoadAsync);
}
