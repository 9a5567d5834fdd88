using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Alerts;
using Ttp.Portal.Components.Shared;
using Ttp.Portal.Security;

using Ttp.Portal.Audit;

namespace Ttp.Portal.Components.Pages.Audit;

/// <summary>
/// The alerts panel (dashboard and <c>/audit/alerts</c>): open alerts, latest first, with kind, subject, summary, first
/// and last seen and count; acknowledged ones on request; Acknowledge asks for confirmation and an optional note, then
/// calls <see cref="AlertService.AcknowledgeAsync"/> as the signed-in staff member (policy ReviewAudit, and the domain
/// checks the role again). A card links to its key requests.
/// </summary>
public sealed partial class AlertsPanel
{
    private bool _loaded;
    private bool _busy;
    private bool _showAcknowledged;
    private string? _error;
    private IReadOnlyList<AuditAlert> _alerts = [];
    private DateTimeOffset _now;

    [Inject]
    private AlertService Alerts { get; set; } = default!;

    [Inject]
    private AuditAdministration Audit { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    /// <summary>The most alerts shown (the dashboard shows fewer).</summary>
    [Parameter]
    public int Limit { get; set; } = 200;

    protected override Task OnInitializedAsync() => LoadAsync();

    /// <summary>The key-request search for a card alert's IIN and KDD; null for other alerts.</summary>
    internal static string? CardLink(AuditAlert alert)
    {
        if (alert.Kind != AlertKind.SameCardTwoTsms || !alert.Subject.StartsWith("card:", StringComparison.Ordinal))
        {
            return null;
        }

        var card = alert.Subject["card:".Length..].Split('/');
        return card.Length == 2
            ? $"/audit/key-requests?iin={Uri.EscapeDataString(card[0])}&kdd={Uri.EscapeDataString(card[1])}"
            : null;
    }

    internal static string KindText(AlertKind kind) => kind switch
    {
        AlertKind.SameCardTwoTsms => "Same card, two TSMs",
        AlertKind.RequestRate => "Request rate",
        AlertKind.RepeatedFaults => "Repeated faults",
        AlertKind.IntegrityFailure => "Integrity failure",
        _ => kind.ToString(),
    };

    private string Age(DateTimeOffset at)
    {
        var age = _now - at;
        return age.TotalMinutes < 1 ? "just now"
            : age.TotalHours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes} min ago")
            : age.TotalDays < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h ago")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} d ago");
    }

    private async Task LoadAsync()
    {
        try
        {
            _now = Time.GetUtcNow();
            _alerts = await Alerts.ListAsync(_showAcknowledged, Math.Clamp(Limit, 1, AlertService.MaxList));
            _error = null;
        }
        catch (Exception e) when (e is DomainException or System.Data.Common.DbException)
        {
            _error = "The alerts could not be loaded: " + e.Message;
        }

        _loaded = true;
    }

    private async Task ToggleAcknowledgedAsync(bool show)
    {
        _showAcknowledged = show;
        await LoadAsync();
    }

    private async Task AcknowledgeAsync(AuditAlert alert)
    {
        var parameters = new DialogParameters<AcknowledgeAlertDialog> { { d => d.Summary, alert.Summary } };
        var dialog = await Dialogs.ShowAsync<AcknowledgeAlertDialog>("Acknowledge alert", parameters);
        if (await dialog.Result is not { Canceled: false, Data: string note })
        {
            return;
        }

        await PageActions.RunAsync(Snackbar, async () =>
        {
            await Audit.AcknowledgeAlertAsync(alert.Id, note);
            return "Alert acknowledged.";
        }, busy => _busy = busy, LoadAsync, asSentence: true);
    }
}
