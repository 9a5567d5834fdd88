using Microsoft.Extensions.Options;
using Ttp.Domain.Alerts;

namespace Ttp.Portal.Hosting;

/// <summary>
/// The alert scanner's timer: once the domain is ready (<see cref="PortalStatus.DomainReady"/>), scans the audit records
/// written since the last scan (<see cref="AlertScanner.ScanToHeadAsync"/>) every <see cref="AlertOptions.ScanSeconds"/>.
/// Waits on the portal's <see cref="TimeProvider"/>. A failed scan is logged (type and message; the domain's messages
/// name records, never a key) and the next one runs as planned, from the same watermark.
/// </summary>
internal sealed partial class AlertScanning(
    AlertScanner scanner, PortalStatus status, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertScanning> logger) : BackgroundService
{
    private int _scans;

    /// <summary>How many scans have finished with the next one's timer set: what a test waits on before it moves the clock.</summary>
    internal int Scans => Volatile.Read(ref _scans);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await status.DomainReady.WaitAsync(stoppingToken);
            var interval = TimeSpan.FromSeconds(options.Value.ScanSeconds);
            while (!stoppingToken.IsCancellationRequested)
            {
                await ScanAsync(stoppingToken);
                var next = Task.Delay(interval, time, stoppingToken);
                Interlocked.Increment(ref _scans);
                await next;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The portal stops.
        }
    }

    /// <summary>One scan up to the head of the chain; logs new alerts; a failure is logged, never thrown.</summary>
    internal async Task<AlertScanResult?> ScanAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await scanner.ScanToHeadAsync(cancellationToken);
            if (result.Raised > 0)
            {
                LogRaised(logger, result.Raised, result.Through);
            }

            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e.GetType().Name, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts: {Count} new alerts raised (audit records scanned up to {Through}); see /audit/alerts")]
    private static partial void LogRaised(ILogger logger, int count, long through);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alerts: the scan failed ({Type}: {Reason}); the next scan runs as planned")]
    private static partial void LogFailed(ILogger logger, string type, string reason);
}
