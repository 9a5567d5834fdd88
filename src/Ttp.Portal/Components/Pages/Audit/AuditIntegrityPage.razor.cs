using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Integrity;
using Ttp.Domain.KeyRequests;
using Ttp.Portal.Accreditation;
using Ttp.Portal.Hosting;
using Ttp.Portal.Security;

using Ttp.Portal.Audit;

namespace Ttp.Portal.Components.Pages.Audit;

/// <summary>
/// The audit trail's integrity at a glance (chain end against the latest signed checkpoint, naming a gap), a full
/// verification run in the background (<see cref="AuditVerificationRunner"/>; this page polls its row every second,
/// so a reload or another browser shows the same job), the audit public key to keep outside the TTP, and every damaged stored key or access record.
/// Read-only: Auditors and Security officers.
/// </summary>
public sealed partial class AuditIntegrityPage : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private bool _loaded;
    private string? _error;
    private AuditAnchorStatus? _anchor;
    private PublicKeyView? _publicKey;
    private StoredKeyReport? _keys;
    private IReadOnlyList<RejectedRecord> _rejected = [];
    private AuditVerification? _job;
    private string? _refusal;
    private bool _starting;
    private ITimer? _poll;
    private int _polling;
    private DateTimeOffset _now;

    [Inject]
    private AuditTrailVerifier Verifier { get; set; } = default!;

    [Inject]
    private AuditVerificationQueries Verifications { get; set; } = default!;

    [Inject]
    private AuditAdministration Audit { get; set; } = default!;

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

    private bool IsRunning => _job?.State == AuditVerificationState.Running;

    private Severity ResultSeverity => _job?.State switch
    {
        AuditVerificationState.Passed => Severity.Success,
        AuditVerificationState.Abandoned => Severity.Warning,
        _ => Severity.Error,
    };

    private string ResultText => _job switch
    {
        null => string.Empty,
        { State: AuditVerificationState.Passed } v => string.Create(CultureInfo.InvariantCulture,
            $"Intact: {v.RecordsChecked:N0} records and {v.CheckpointsChecked ?? 0:N0} checkpoints verified ({Shared.TimeDisplay.Format(v.FinishedAt)})."),
        { State: AuditVerificationState.Failed, FirstBrokenSequence: { } broken } v => string.Create(CultureInfo.InvariantCulture,
            $"Broken at record {broken:N0}: {v.Problem}"),
        { State: AuditVerificationState.Abandoned } v => "Abandoned: " + v.Problem,
        var v => "Could not be verified: " + v.Problem,
    };

    private static double Percent(AuditVerification job) =>
        job.TotalRecords == 0 ? 0 : Math.Min(100, 100.0 * job.RecordsChecked / job.TotalRecords);

    private static string ProgressText(AuditVerification job)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{job.RecordsChecked:N0} of {job.TotalRecords:N0} records checked");
        if (job.RatePerSecond > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" · {job.RatePerSecond:N0} records/s");
        }

        return job.TimeLeft is { } left ? text + " · about " + Duration(left) + " left" : text;
    }

    private static string Duration(TimeSpan span) => span.TotalSeconds < 60
        ? span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : Age(span);

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
        await RunAsync(async () => _job = await Verifications.LatestAsync());
        StartPolling();
        _loaded = true;
    }

    private async Task VerifyAsync()
    {
        _starting = true;
        _refusal = null;
        try
        {
            _job = await Audit.StartVerificationAsync();
            StartPolling();
        }
        catch (RuleViolationException e)
        {
            // Another verification runs: show it (who, when, progress) and follow it.
            _refusal = "Not started: " + e.Message + ".";
            await RunAsync(async () => _job = await Verifications.LatestAsync());
            StartPolling();
        }
        catch (Exception e) when (e is DomainException or System.Data.Common.DbException)
        {
            _refusal = "Could not be started: " + e.Message;
        }

        _starting = false;
    }

    /// <summary>Polls the running verification's row every second (the page's <see cref="TimeProvider"/>) until it ends.</summary>
    private void StartPolling()
    {
        _now = Time.GetUtcNow();
        if (IsRunning && _poll is null)
        {
            _poll = Time.CreateTimer(_ => _ = InvokeAsync(PollAsync), null, PollInterval, PollInterval);
        }
    }

    private async Task PollAsync()
    {
        if (_job is null || Interlocked.Exchange(ref _polling, 1) == 1)
        {
            return;
        }

        try
        {
            await RunAsync(async () =>
            {
                _job = await Verifications.FindAsync(_job.Id) ?? _job;
                _now = Time.GetUtcNow();
                if (!IsRunning)
                {
                    StopPolling();
                    _anchor = await Verifier.AnchorStatusAsync();
                }
            });
            StateHasChanged();
        }
        finally
        {
            Volatile.Write(ref _polling, 0);
        }
    }

    private void StopPolling()
    {
        _poll?.Dispose();
        _poll = null;
    }

    public void Dispose() => StopPolling();

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
