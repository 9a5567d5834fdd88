using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Integrity;
using Ttp.Domain.KeyRequests;

namespace Ttp.Portal.Components.Pages.Audit;

/// <summary>
/// The audit trail's integrity at a glance (chain end against the latest signed checkpoint, naming a gap), a full
/// verification on demand, the audit public key to keep outside the TTP, and every damaged stored key or access record.
/// Read-only: Auditors and Security officers.
/// </summary>
public sealed partial class AuditIntegrityPage
{
    private bool _loaded;
    private string? _error;
    private AuditAnchorStatus? _anchor;
    private PublicKeyView? _publicKey;
    private StoredKeyReport? _keys;
    private IReadOnlyList<RejectedRecord> _rejected = [];
    private AuditVerificationResult? _verification;
    private bool _verifying;
    private DateTimeOffset _now;

    [Inject]
    private AuditTrailVerifier Verifier { get; set; } = default!;

    [Inject]
    private StoredKeyCheck StoredKeys { get; set; } = default!;

    [Inject]
    private KeyRequestDirectory Directory { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    private Severity AnchorSeverity => _anchor?.State switch
    {
        AuditAnchorState.Covered => Severity.Success,
        AuditAnchorState.Pending or AuditAnchorState.NoCheckpoint => Severity.Info,
        _ => Severity.Error,
    };

    private string CheckpointAge => _anchor?.CheckpointTime is { } signed
        ? "(" + Age(_now - signed) + " ago)"
        : string.Empty;

    private string PemDownload => _publicKey is null
        ? string.Empty
        : "data:application/x-pem-file;base64," + Convert.ToBase64String(Encoding.ASCII.GetBytes(_publicKey.Pem));

    private static readonly Dictionary<string, object> DownloadAttributes = new(StringComparer.Ordinal)
    {
        ["download"] = "ttp-audit-public-key.pem",
        ["data-testid"] = "public-key-download",
    };

    private string VerificationText => _verification switch
    {
        null => string.Empty,
        { IsValid: true } v => string.Create(CultureInfo.InvariantCulture,
            $"Intact: {v.RecordCount:N0} records and {v.Checkpoints ?? 0:N0} checkpoints verified; {v.UncoveredRecords ?? 0:N0} records since the latest checkpoint."),
        var v => string.Create(CultureInfo.InvariantCulture, $"Broken at record {v.FirstBrokenSequence:N0}: {v.Problem}"),
    };

    protected override async Task OnInitializedAsync()
    {
        _now = Time.GetUtcNow();
        await RunAsync(async () =>
        {
            _anchor = await Verifier.AnchorStatusAsync();
            var key = await Verifier.PublicKeyAsync();
            _publicKey = new PublicKeyView(key.Fingerprint, key.Pem);
        });
        await RunAsync(async () =>
        {
            _keys = await StoredKeys.RunAsync();
            _rejected = (await Directory.CurrentAsync()).Rejected;
        });
        _loaded = true;
    }

    private async Task VerifyAsync()
    {
        _verifying = true;
        _verification = null;
        await RunAsync(async () =>
        {
            _verification = await Verifier.VerifyAsync();
            _anchor = await Verifier.AnchorStatusAsync();
            _now = Time.GetUtcNow();
        });
        _verifying = false;
    }

    /// <summary>Runs one part of the page; a domain or database failure becomes the page's error, never an exception.</summary>
    private async Task RunAsync(Func<Task> part)
    {
        try
        {
            await part();
        }
        catch (Exception e) when (e is DomainException or System.Data.Common.DbException)
        {
            _error = e is IntegrityException
                ? "Integrity failure: " + e.Message
                : "Could not be checked: " + e.Message;
        }
    }

    private static string Age(TimeSpan age) => age.TotalSeconds switch
    {
        < 0 => "0 s",
        < 120 => $"{(int)age.TotalSeconds} s",
        < 7200 => $"{(int)age.TotalMinutes} min",
        < 172800 => $"{(int)age.TotalHours} h",
        _ => $"{(int)age.TotalDays} days",
    };

    private sealed record PublicKeyView(string Fingerprint, string Pem);
}
