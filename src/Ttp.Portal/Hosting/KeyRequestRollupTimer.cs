using Ttp.Domain.Audit;

namespace Ttp.Portal.Hosting;

/// <summary>
/// Keeps the key-request rollup of the activity charts current: once the domain is ready
/// (<see cref="PortalStatus.DomainReady"/>), counts the records after its watermark (<see cref="KeyRequestRollup.CatchUpAsync"/>)
/// every <see cref="Interval"/>, on the portal's <see cref="TimeProvider"/>. Outside the audit writer's append path;
/// the charts also count the records after the watermark themselves, so they stay exact between runs. A failed run is
/// logged (type and message, which carry no key) and the next one runs as planned.
/// </summary>
internal sealed partial class KeyRequestRollupTimer(
    KeyRequestRollup rollup, PortalStatus status, TimeProvider time, ILogger<KeyRequestRollupTimer> logger) : BackgroundService
{
    /// <summary>The pause between two catch-ups.</summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await status.DomainReady.WaitAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await RunAsync(stoppingToken);
                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The portal stops.
        }
    }

    /// <summary>One catch-up; a failure is logged, never thrown.</summary>
    internal async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await rollup.CatchUpAsync(cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e.GetType().Name, e.Message);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key-request rollup: the catch-up failed ({Type}: {Reason}); the next one runs as planned")]
    private static partial void LogFailed(ILogger logger, string type, string reason);
}
