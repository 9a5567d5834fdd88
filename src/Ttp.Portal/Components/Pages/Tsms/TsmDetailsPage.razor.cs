using Microsoft.AspNetCore.Components;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Tsms;
using Ttp.Portal.Accreditation;
using Ttp.Portal.Components.Shared;
using Ttp.Portal.Security;

namespace Ttp.Portal.Components.Pages.Tsms;

/// <summary>
/// One TSM: details, scope, certificates, pending changes (four eyes), its key-exchange keys (<see cref="TsmKeksPanel"/>,
/// actions for Security officers) and its timeline; accreditation actions for Operators.
/// </summary>
public sealed partial class TsmDetailsPage
{
    private Tsm? _tsm;
    private IReadOnlyList<AuditEvent> _events = [];
    private string? _notFound;
    private bool _canOperate;
    private string? _email;
    private bool _busy;
    private string? _refusal;
    private DateTimeOffset _now;
    private IReadOnlyList<TsmChange> _pending = [];
    private IReadOnlyList<Ttp.Domain.Integrity.RejectedRecord> _damaged = [];
    private CertificateUpload? _upload;
    private UploadedCertificate? _newCertificate;

    [Parameter]
    public string Name { get; set; } = string.Empty;

    private bool IsRegistrar => _tsm is not null && _email is not null
        && string.Equals(_tsm.RegisteredBy, Actor.Staff(_email).Id, StringComparison.OrdinalIgnoreCase);

    private bool IsFinal => _tsm?.State is TsmState.Rejected or TsmState.Revoked;

    private bool IsProposer(TsmChange change) => _email is not null
        && string.Equals(change.ProposedBy, Actor.Staff(_email).Id, StringComparison.OrdinalIgnoreCase);

    protected override async Task OnParametersSetAsync()
    {
        _canOperate = await Staff.IsAllowedAsync(PortalPolicies.Operator);
        _email = _canOperate ? StaffAuthorization.EmailOf(await Staff.UserAsync()) : null;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            _tsm = await Tsms.GetAsync(Name);
            _events = await Audit.ForSubjectAsync("tsm:" + _tsm.Name);
            _pending = await Changes.ListAsync(_tsm.Name);
            var tsmId = _tsm.Id;
            _damaged = [.. (await Directory.CurrentAsync()).Rejected.Where(r => r.TsmId == tsmId)];
            _now = Time.GetUtcNow();
            _notFound = null;
        }
        catch (NotFoundException e)
        {
            _notFound = e.Message;
        }
    }

    private async Task ApproveAsync()
    {
        var parameters = new DialogParameters<ApproveTsmDialog>
        {
            { d => d.Tsm, _tsm! },
            { d => d.Submit, async () => { await Accreditation.ApproveAsync(Name); return "TSM approved."; } },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true };
        await PageActions.AfterDialogAsync(Snackbar, await Dialogs.ShowAsync<ApproveTsmDialog>("Approve TSM", parameters, options), LoadAsync);
    }

    private Task RejectAsync() =>
        ReasonAsync("Reject TSM", $"Reject TSM '{Name}'? It will not be accredited.", "Reject", Color.Error, final: true,
            async reason => { await Accreditation.RejectAsync(Name, reason); return "TSM rejected."; });

    private Task SuspendAsync() =>
        ReasonAsync("Suspend TSM", $"Suspend TSM '{Name}'? Its key requests are refused until it is reinstated.", "Suspend", Color.Warning, final: false,
            async reason => { await Accreditation.SuspendAsync(Name, reason); return "TSM suspended."; });

    private Task ReinstateAsync() =>
        ReasonAsync("Reinstate TSM", $"Reinstate TSM '{Name}'? It may request keys again.", "Reinstate", Color.Success, final: false,
            async reason =>
            {
                await Accreditation.ReinstateAsync(Name, reason);
                return "Reinstatement proposed: it takes effect when a second Operator approves it.";
            });

    private Task RevokeAsync() =>
        ReasonAsync("Revoke TSM", $"Revoke the accreditation of TSM '{Name}'? It will never receive keys again.", "Revoke", Color.Error, final: true,
            async reason => { await Accreditation.RevokeAsync(Name, reason); return "TSM revoked."; });

    private async Task EditScopeAsync()
    {
        var parameters = new DialogParameters<EditScopeDialog>
        {
            { d => d.Issuers, string.Join(", ", _tsm!.Scope.Select(s => s.Iin)) },
            { d => d.RateLimitPerSecond, _tsm.RateLimitPerSecond },
            { d => d.Submit, SaveScopeAsync },
        };
        await PageActions.AfterDialogAsync(Snackbar, await Dialogs.ShowAsync<EditScopeDialog>("Edit scope", parameters), LoadAsync);
    }

    private async Task<string> SaveScopeAsync(EditScopeDialog.ScopeChange change)
    {
        var pendingBefore = (await Changes.ListAsync(Name)).Count;
        await Accreditation.UpdateScopeAsync(Name, RegisterTsmPage.SplitIssuers(change.Issuers), change.RateLimitPerSecond);
        return (await Changes.ListAsync(Name)).Count > pendingBefore
            ? "Scope saved; added issuers and a higher rate limit take effect when a second Operator approves them."
            : "Scope saved.";
    }

    private async Task RetireAsync(TsmCertificate certificate)
    {
        var parameters = new DialogParameters<RetireCertificateDialog>
        {
            { d => d.Subject, certificate.Subject },
            {
                d => d.Submit, async at =>
                {
                    await Accreditation.RetireCertificateAsync(Name, certificate.Sha256Thumbprint, at);
                    return $"Certificate retires at {Shared.TimeDisplay.Format(at)}.";
                }
            },
        };
        await PageActions.AfterDialogAsync(Snackbar, await Dialogs.ShowAsync<RetireCertificateDialog>("Retire certificate", parameters), LoadAsync);
    }

    private async Task AddCertificateAsync()
    {
        if (_newCertificate is null)
        {
            return;
        }

        var content = _newCertificate.Content;
        await RunAsync(async () =>
        {
            await Accreditation.AddCertificateAsync(Name, content);
            return _tsm?.State == TsmState.PendingApproval
                ? "Certificate added."
                : "Certificate proposed: it is accepted when a second Operator approves it.";
        });
        var thumbprint = _newCertificate?.Preview.Sha256Thumbprint;
        if (_upload is not null && (_tsm?.Certificates.Any(c => c.Sha256Thumbprint == thumbprint) == true || _pending.Any(c => c.CertificateSha256Thumbprint == thumbprint)))
        {
            _newCertificate = null;
            _upload.Clear();
        }
    }

    private Task ApproveChangeAsync(TsmChange change) => RunAsync(async () =>
    {
        await Accreditation.ApproveChangeAsync(change.Id);
        return $"Change approved: {change.Summary}.";
    });

    private Task RejectChangeAsync(TsmChange change) =>
        ReasonAsync("Reject change", $"Reject the proposed change '{change.Summary}'? Nothing of it is applied.", "Reject", Color.Error, final: true,
            async reason => { await Accreditation.RejectChangeAsync(change.Id, reason); return "Change rejected."; });

    // Asks for the reason in a dialog that runs the change itself and stays open, with the reason typed, on a refusal.
    private async Task ReasonAsync(string title, string message, string confirm, Color color, bool final, Func<string, Task<string>> change)
    {
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, confirm },
            { d => d.ConfirmColor, color },
            { d => d.Final, final },
            { d => d.Submit, change },
        };
        await PageActions.AfterDialogAsync(Snackbar, await Dialogs.ShowAsync<ReasonDialog>(title, parameters), LoadAsync);
    }

    // Every change goes through TsmAccreditation (which requires the Operator policy); a domain refusal becomes one
    // sentence; the page reloads.
    private Task RunAsync(Func<Task<string>> change) => PageActions.RunAsync(Snackbar, change, busy => _busy = busy, LoadAsync, refusal => _refusal = refusal);

    private string CertificateStatus(TsmCertificate c) =>
        c.IsRetired(_now) ? $"retired {Shared.TimeDisplay.Format(c.RetiredAt)}"
        : c.RetiredAt is { } at ? $"retiring at {Shared.TimeDisplay.Format(at)}"
        : _now > c.NotAfter ? "expired"
        : _now < c.NotBefore ? "not yet valid"
        : "current";

    private static string Contact(Tsm tsm)
    {
        var parts = new[] { tsm.ContactName, tsm.ContactEmail, tsm.ContactPhone }.Where(p => !string.IsNullOrEmpty(p));
        var text = string.Join(", ", parts);
        return text.Length == 0 ? "-" : text;
    }
}
