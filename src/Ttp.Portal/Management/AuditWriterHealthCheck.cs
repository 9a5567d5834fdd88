using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;

namespace Ttp.Portal.Management;

/// <summary>
/// The audit writer runs and its queue is below <see cref="ManagementOptions.AuditQueueLimitPercent"/> of its capacity
/// (above it key requests are about to be refused ServiceUnavailable).
/// </summary>
internal sealed class AuditWriterHealthCheck(AuditWriter writer, IOptions<ManagementOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var depth = writer.QueueDepth;
        var data = new Dictionary<string, object> { ["queueDepth"] = depth, ["queueCapacity"] = writer.QueueCapacity };
        var limit = (long)writer.QueueCapacity * options.Value.AuditQueueLimitPercent / 100;
        var result = !writer.IsRunning ? HealthCheckResult.Unhealthy("the audit writer is stopped", data: data)
            : depth >= Math.Max(1, limit) ? HealthCheckResult.Unhealthy("the audit writer's queue is over its bound", data: data)
            : HealthCheckResult.Healthy("the audit writer runs", data);
        return Task.FromResult(result);
    }
}
