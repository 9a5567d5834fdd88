using Ttp.Domain;

namespace Ttp.Portal.Hosting;

/// <summary>
/// Applies migrations and loads the LMK and the audit key before the portal serves requests (the same
/// <see cref="DomainInitializer"/> as <c>ttpctl init</c>); a failure stops start-up with a message naming the cause.
/// </summary>
internal sealed partial class DomainStartup(IServiceProvider services, PortalStatus status, ILogger<DomainStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var result = await DomainInitializer.InitializeAsync(services, cancellationToken);
        LogReady(logger, result.Database, result.LmkId, result.SoftwareLmk, result.AuditRecords);
        status.SetDomainReady(result);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Domain ready: database {Database}, LMK {LmkId} (software: {SoftwareLmk}), {AuditRecords} audit records")]
    private static partial void LogReady(ILogger logger, Ttp.Domain.Data.DatabaseProvider database, string lmkId, bool softwareLmk, long auditRecords);
}
