using Microsoft.AspNetCore.Components;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Keks;
using Ttp.Portal.Accreditation;
using Ttp.Portal.Components.Shared;
using Ttp.Portal.Security;

namespace Ttp.Portal.Components.Pages.Tsms;

/// <summary>
/// The "Key-exchange keys" section of a TSM's page: every version of every index with its state, check value, ceremony
/// and who created, activated and retired it. Security officers activate a pending KEK, retire one, and go to the
/// ceremonies page to rotate an index or make a new KEK; every change goes through <see cref="KekAdministration"/>.
/// </summary>
public sealed partial class TsmKeksPanel
{
    private IReadOnlyList<Kek> _keks = [];
    private bool _canAct;
    private bool _busy;
    private string? _error;

    /// <summary>The TSM whose KEKs are shown.</summary>
    [Parameter]
    [EditorRequired]
    public string TsmName { get; set; } = string.Empty;

    /// <summary>Whether the TSM is revoked or rejected: its KEKs can still be retired, but none is made or activated.</summary>
    [Parameter]
    public bool TsmIsFinal { get; set; }

    // The lowest index (1..255) with no KEK: where "New KEK" opens a ceremony; null when all are taken.
    private int? NextFreeIndex => Enumerable.Range(1, 255).Cast<int?>().FirstOrDefault(i => _keks.All(k => k.Index != i));

    protected override async Task OnParametersSetAsync()
    {
        _canAct = await Staff.IsAllowedAsync(PortalPolicies.SecurityOfficer);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _keks = await Keks.ListAsync(TsmName);
            _error = null;
        }
        catch (DomainException e)
        {
            _keks = [];
            _error = "The key-exchange keys could not be read: " + e.Message;
        }
    }

    private bool HasPending(int index) => _keks.Any(k => k.Index == index && k.State == KekState.PendingActivation);

    private Kek? ActiveOf(int index) => _keks.FirstOrDefault(k => k.Index == index && k.State == KekState.Active);

    private void OpenCeremony(int index) => Navigation.NavigateTo(KekDisplay.CeremonyHref(TsmName, index));

    private async Task ActivateAsync(Kek kek)
    {
        var active = ActiveOf(kek.Index);
        var parameters = new DialogParameters<ConfirmKekDialog>
        {
            { d => d.Message, $"Activate {Describe(kek)} (check value {kek.KeyCheckValue})? Key requests naming index {kek.Index} are answered under it from now on." },
            { d => d.ConfirmText, "Activate" },
            {
                d => d.Warning,
                active is null
                    ? null
                    : $"This retires {Describe(active)} (check value {active.KeyCheckValue}), the version of index {kek.Index} active until now, for good."
            },
            {
                d => d.Submit, async () =>
                {
                    await Administration.ActivateAsync(TsmName, kek.Index, kek.Version);
                    return active is null ? $"{Describe(kek)} activated." : $"{Describe(kek)} activated; {Describe(active)} retired.";
                }
            },
        };
        await DialogAsync(await Dialogs.ShowAsync<ConfirmKekDialog>("Activate KEK", parameters));
    }

    private async Task RetireAsync(Kek kek)
    {
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Message, $"Retire {Describe(kek)} (check value {kek.KeyCheckValue})? It will never wrap a key again." },
            { d => d.ConfirmText, "Retire" },
            { d => d.ConfirmColor, Color.Error },
            { d => d.Final, true },
            {
                d => d.Warning,
                kek.State == KekState.Active
                    ? $"This is the active KEK of index {kek.Index}: the TSM's key requests naming index {kek.Index} will be refused until another version is activated."
                    : null
            },
            {
                d => d.Submit, async reason =>
                {
                    await Administration.RetireAsync(TsmName, kek.Index, kek.Version, reason);
                    return $"{Describe(kek)} retired.";
                }
            },
        };
        await DialogAsync(await Dialogs.ShowAsync<ReasonDialog>("Retire KEK", parameters));
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

    private string Describe(Kek kek) => $"KEK {kek.Index} version {kek.Version} of TSM '{TsmName}'";

    private static string ByAt(string? by, DateTimeOffset? at) => by is null ? "-" : $"{Shared.TimeDisplay.Format(at)} by {by}";
}
