using Microsoft.Extensions.Options;
using Ttp.Domain.Ceremonies;

namespace Ttp.Portal.Hosting;

/// <summary>
/// The expiry timer: once the domain is ready (<see cref="PortalStatus.DomainReady"/>), expires every overdue ceremony
/// (<see cref="CeremonyService.ExpireOverdueAsync"/>, which destroys its partial and audits it) every
/// <see cref="CeremonyOptions.SweepSeconds"/>, so that a ceremony nobody touches again does not keep its partial past
/// its expiry. Waits on the portal's <see cref="TimeProvider"/>. A failed sweep is logged and the next one runs as
/// planned. Logs counts and failures' types and messages, never a key or component (the domain's messages carry none).
/// </summary>
internal sealed partial class CeremonyExpiry(
    CeremonyService ceremonies, PortalStatus status, IOptions<CeremonyOptions> options, TimeProvider time, ILogger<CeremonyExpiry> logger) : BackgroundService
{
    private int _sweeps;

    /// <summary>
    /// How many sweeps have finished (succeeded or failed) with the next one's timer set: what a test waits on before it
    /// moves the clock.
    /// </summary>
    internal int Sweeps => Volatile.Read(ref _sweeps);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await status.DomainReady.WaitAsync(stoppingToken);
            var interval = TimeSpan.FromSeconds(options.Value.SweepSeconds);
            while (!stoppingToken.IsCancellationRequested)
            {
                await SweepAsync(stoppingToken);
                var next = Task.Delay(interval, time, stoppingToken);
                Interlocked.Increment(ref _sweeps);
                await next;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The portal stops.
        }
    }

    /// <summary>One sweep: expires the overdue ceremonies and logs how many; a failure is logged, never thrown.</summary>
    internal async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            var expired = await ceremonies.ExpireOverdueAsync(cancellationToken);
            if (expired > 0)
            {
                LogExpired(logger, expired);
            }

            return expired;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e.GetType().Name, e.Message);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ceremony expiry: {Count} overdue ceremonies expired, their partials destroyed")]
    private static partial void LogExpired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ceremony expiry: the sweep failed ({Type}: {Reason}); the next sweep runs as planned")]
    private static partial void LogFailed(ILogger logger, string type, string reason);
}
