using Ttp.Domain;
using Ttp.Domain.KeyRequests;

namespace Ttp.Portal.Hosting;

/// <summary>
/// Applies migrations and loads the LMK and the audit key before the portal serves requests (the same
/// <see cref="DomainInitializer"/> as <c>ttpctl init</c>), then the TSM directory that the SOAP port's handshake pins
/// read; a failure stops start-up with a message naming the cause.
/// </summary>
/// <remarks>
/// The pins are loaded here, before Kestrel listens, because a handshake waits for a first load only briefly
/// (<see cref="AccreditedCertificates.FirstLoadTimeout"/>): a node that has just started, sent TSMs by its load balancer
/// as soon as <c>/health/ready</c> answers, would otherwise refuse accredited certificates while its first load runs.
/// </remarks>
internal sealed partial class DomainStartup(IServiceProvider services, PortalStatus status, ILogger<DomainStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var result = await DomainInitializer.InitializeAsync(services, cancellationToken);
        await services.GetRequiredService<AccreditedCertificates>().RefreshAsync(cancellationToken);
        LogReady(logger, result.Database, result.LmkId, result.SoftwareLmk, result.AuditRecords);
        status.SetDomainReady(result);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Domain ready: database {Database}, LMK {LmkId} (software: {SoftwareLmk}), {AuditRecords} audit records")]
    private static partial void LogReady(ILogger logger, Ttp.Domain.Data.DatabaseProvider database, string lmkId, bool softwareLmk, long auditRecords);
}
