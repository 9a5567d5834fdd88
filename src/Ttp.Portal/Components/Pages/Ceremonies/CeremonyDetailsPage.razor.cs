using Microsoft.AspNetCore.Components;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.IssuerKeys;
using Ttp.Portal.Ceremonies;
using Ttp.Portal.Components.Shared;
using Ttp.Portal.IssuerKeys;
using Ttp.Portal.Security;

namespace Ttp.Portal.Components.Pages.Ceremonies;

/// <summary>
/// One ceremony: its key, progress, expiry and timeline for everyone who may view it; the component entry for a Key
/// custodian who may act; confirmation, activation of the created key and abort for Security officers. Never a
/// component, and nothing changes but through <see cref="CeremonyAdministration"/> and <see cref="IssuerKeyAdministration"/>.
/// </summary>
public sealed partial class CeremonyDetailsPage
{
    private Ceremony? _ceremony;
    private IReadOnlyList<AuditEvent> _events = [];
    private CeremonyEligibility? _eligibility;
    private CreatedKey? _created;
    private string? _notFound;
    private string? _entered;
    private string? _documentedKcv;
    private string? _confirmError;
    private bool _isOfficer;
    private bool _isCustodian;
    private bool _busy;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    private CeremonyService Ceremonies { get; set; } = default!;

    [Inject]
    private CeremonyAdministration Administration { get; set; } = default!;

    [Inject]
    private IssuerKeyAdministration IssuerKeys { get; set; } = default!;

    [Inject]
    private IssuerKeyService Keys { get; set; } = default!;

    [Inject]
    private AuditQueries Audit { get; set; } = default!;

    [Inject]
    private StaffAuthorization Staff { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _isOfficer = await Staff.IsAllowedAsync(PortalPolicies.SecurityOfficer);
        _isCustodian = await Staff.IsAllowedAsync(PortalPolicies.KeyCustodian);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _ceremony = await Ceremonies.GetAsync(Id);
        if (_ceremony is null)
        {
            _notFound = $"There is no ceremony {Id:D}.";
            return;
        }

        _notFound = null;
        _events = await Audit.ForSubjectAsync(CeremonyDisplay.AuditSubject(Id));
        _eligibility = _isCustodian && _ceremony.IsInProgress ? await Administration.EligibilityAsync(_ceremony.Id) : null;
        _created = await CreatedKeyAsync(_ceremony);
    }

    private async Task EnteredAsync(string message)
    {
        _entered = message;
        await LoadAsync();
    }

    private async Task<CreatedKey?> CreatedKeyAsync(Ceremony ceremony)
    {
        if (ceremony.State != CeremonyState.Completed || ceremony.Kind != CeremonyKind.ImportIssuerMasterKey || ceremony.Iin is null || ceremony.Kvn is null)
        {
            return null;
        }

        try
        {
            var set = await Keys.GetAsync(ceremony.Iin, ceremony.Kvn.Value);
            return new CreatedKey(
                $"Issuer key set {set.Iin}/{set.Kvn}", IssuerKeyDisplay.DetailsHref(set), IssuerKeyDisplay.StateText(set.State),
                set.State == IssuerKeySetState.PendingActivation);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    private async Task ConfirmAsync()
    {
        _confirmError = null;
        var typed = _documentedKcv?.Trim() ?? string.Empty;
        if (typed.Length != 6 || !typed.All(Uri.IsHexDigit))
        {
            _confirmError = "Documented check value: enter 6 hex digits";
            return;
        }

        _busy = true;
        try
        {
            await Administration.ConfirmAsync(Id, typed.ToUpperInvariant());
            _documentedKcv = null;
            Snackbar.Add("Ceremony completed: the key was created, pending activation.", Severity.Success);
        }
        catch (DomainException e)
        {
            _confirmError = Sentence(e.Message);
        }
        finally
        {
            _busy = false;
        }

        await LoadAsync();
    }

    private async Task ActivateAsync()
    {
        if (_ceremony is not { Iin: { } iin, Kvn: { } kvn } || _created is null)
        {
            return;
        }

        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, $"Activate key set {iin}/{kvn}? Key requests for issuer {iin} can use it from then on." },
            { d => d.ConfirmText, "Activate" },
            { d => d.ConfirmColor, Color.Success },
        };
        var dialog = await Dialogs.ShowAsync<ConfirmDialog>("Activate key set", parameters);
        if (await dialog.Result is not { Canceled: false })
        {
            return;
        }

        await RunAsync(async () => { await IssuerKeys.ActivateAsync(iin, kvn); return "Key set activated."; });
    }

    private async Task AbortAsync()
    {
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Message, $"Abort the ceremony for {_ceremony!.Label}? Its partial key is destroyed; the components entered so far are lost." },
            { d => d.ConfirmText, "Abort" },
            { d => d.ConfirmColor, Color.Error },
            { d => d.Final, true },
        };
        var dialog = await Dialogs.ShowAsync<ReasonDialog>("Abort ceremony", parameters);
        if (await dialog.Result is { Canceled: false, Data: string reason })
        {
            await RunAsync(async () => { await Administration.AbortAsync(Id, reason); return "Ceremony aborted."; });
        }
    }

    // A change through an edge; a refusal of the domain becomes one sentence; the page reloads.
    private async Task RunAsync(Func<Task<string>> change)
    {
        _busy = true;
        try
        {
            Snackbar.Add(await change(), Severity.Success);
        }
        catch (DomainException e)
        {
            Snackbar.Add(Sentence(e.Message), Severity.Error);
        }
        finally
        {
            _busy = false;
        }

        await LoadAsync();
    }

    private static string Sentence(string message) =>
        message.Length == 0 ? message : char.ToUpperInvariant(message[0]) + message[1..] + (message.EndsWith('.') ? string.Empty : ".");

    /// <summary>The key a completed ceremony created, as its page links it.</summary>
    private sealed record CreatedKey(string Text, string Href, string State, bool CanActivate);
}
