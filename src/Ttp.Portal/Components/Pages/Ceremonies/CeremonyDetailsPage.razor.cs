using Microsoft.AspNetCore.Components;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Tsms;
using Microsoft.JSInterop;
using Ttp.Portal.Accreditation;
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
    private Sheet? _sheet;
    private bool _awaitingAcknowledgement;
    private string? _custodianError;
    private string? _tsmName;
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
    private KekAdministration KekAdministration { get; set; } = default!;

    [Inject]
    private IssuerKeyService Keys { get; set; } = default!;

    [Inject]
    private TsmService Tsms { get; set; } = default!;

    [Inject]
    private KekService Keks { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

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
        _awaitingAcknowledgement = _isCustodian && _ceremony.Kind == CeremonyKind.GenerateKek && _eligibility is { MayAct: false }
            && (await Administration.TasksAsync()).Any(t => t.Id == Id);
        _tsmName = _ceremony.TsmId is { } tsmId ? (await Tsms.ListAsync()).FirstOrDefault(t => t.Id == tsmId)?.Name : null;
        _created = await CreatedKeyAsync(_ceremony);
    }

    private async Task EnteredAsync(string message)
    {
        _entered = message;
        await LoadAsync();
    }

    private async Task<CreatedKey?> CreatedKeyAsync(Ceremony ceremony)
    {
        if (ceremony.State != CeremonyState.Completed)
        {
            return null;
        }

        if (ceremony.IsKek)
        {
            if (_tsmName is null || ceremony.ResultId is not { } resultId)
            {
                return null;
            }

            var kek = (await Keks.ListAsync(_tsmName)).FirstOrDefault(k => k.Id == resultId);
            return kek is null ? null : new CreatedKey(
                $"KEK {kek.Index} version {kek.Version} of TSM {_tsmName}", $"tsms/{Uri.EscapeDataString(_tsmName)}", CeremonyDisplay.KekStateText(kek.State),
                kek.State == KekState.PendingActivation);
        }

        if (ceremony.Iin is null || ceremony.Kvn is null)
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
        if (_ceremony is not { } c || _created is null)
        {
            return;
        }

        var kek = c.IsKek && _tsmName is not null && c.KekIndex is not null && c.KekVersion is not null;
        var message = kek
            ? $"Activate KEK {c.KekIndex} version {c.KekVersion} of TSM {_tsmName}? Key requests of that TSM are wrapped under it from then on; the index's earlier version is retired."
            : $"Activate key set {c.Iin}/{c.Kvn}? Key requests for issuer {c.Iin} can use it from then on.";
        Func<Task<string>> change = kek
            ? async () => { await KekAdministration.ActivateAsync(_tsmName!, c.KekIndex!.Value, c.KekVersion!.Value); return "KEK activated."; }
            : async () => { await IssuerKeys.ActivateAsync(c.Iin!, c.Kvn!.Value); return "Key set activated."; };
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, "Activate" },
            { d => d.ConfirmColor, Color.Success },
            { d => d.Submit, change },
        };
        await DialogAsync(await Dialogs.ShowAsync<ConfirmDialog>(kek ? "Activate KEK" : "Activate key set", parameters));
    }

    // The component is copied into the page's own buffer and the domain's result disposed (zeroed) at once.
    private async Task ReceiveAsync()
    {
        _custodianError = null;
        _busy = true;
        try
        {
            using var received = await Administration.ReceiveComponentAsync(Id);
            _sheet = new Sheet(received.Number, received.Of, [.. received.Component], received.CheckValue, received.FinalCheckValue, Time.GetUtcNow());
        }
        catch (DomainException e)
        {
            _custodianError = Sentence(e.Message);
        }
        finally
        {
            _busy = false;
        }

        await LoadAsync();
    }

    private async Task PrintAsync()
    {
        try
        {
            await JS.InvokeVoidAsync("print");
        }
        catch (JSException)
        {
            _custodianError = "The browser did not print: use its Print command (only the sheet prints).";
        }
    }

    // Once acknowledged, the sheet leaves the page: its bytes are zeroed and it is never shown again.
    private async Task AcknowledgeAsync()
    {
        _custodianError = null;
        _busy = true;
        try
        {
            await Administration.AcknowledgeComponentAsync(Id);
            ClearSheet();
            Snackbar.Add("Thank you: your component is recorded as handed over.", Severity.Success);
        }
        catch (DomainException e)
        {
            _custodianError = Sentence(e.Message);
        }
        finally
        {
            _busy = false;
        }

        await LoadAsync();
    }

    private void ClearSheet()
    {
        if (_sheet is { } sheet)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(sheet.Component);
            _sheet = null;
        }
    }

    /// <summary>Zeroes a sheet still shown when the circuit ends.</summary>
    public void Dispose() => ClearSheet();

    private async Task AbortAsync()
    {
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Message, $"Abort the ceremony for {_ceremony!.Label}? Its partial key is destroyed; the components entered so far are lost." },
            { d => d.ConfirmText, "Abort" },
            { d => d.ConfirmColor, Color.Error },
            { d => d.Final, true },
            { d => d.Submit, async reason => { await Administration.AbortAsync(Id, reason); return "Ceremony aborted."; } },
        };
        await DialogAsync(await Dialogs.ShowAsync<ReasonDialog>("Abort ceremony", parameters));
    }

    // The dialog runs the change through the edge and stays open on a refusal; a success closes it with one snackbar; the
    // page reloads.
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

    private static string Sentence(string message) => PageActions.Sentence(message);

    /// <summary>A received component on its sheet; <see cref="Component"/> is zeroed when the sheet goes.</summary>
    private sealed record Sheet(int Number, int Of, byte[] Component, string CheckValue, string FinalCheckValue, DateTimeOffset Date);

    /// <summary>The key a completed ceremony created, as its page links it.</summary>
    private sealed record CreatedKey(string Text, string Href, string State, bool CanActivate);
}
