using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Portal.Management;

/// <summary>
/// The audit trail is anchored: Degraded when the chain has records past the newest signed checkpoint and that
/// checkpoint is older than <see cref="ManagementOptions.CheckpointMaxAgeSeconds"/> (or there is no checkpoint at all);
/// Unhealthy when the anchors file's last line is not a checkpoint. A quiet trail whose head is covered stays Healthy
/// however old its checkpoint.
/// </summary>
internal sealed class AuditCheckpointHealthCheck(
    AuditCheckpointFile anchors, IDbContextFactory<TtpDbContext> factory, IOptions<ManagementOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        AuditCheckpoint? latest;
        try
        {
            latest = anchors.ReadLatest();
        }
        catch (IntegrityException)
        {
            return HealthCheckResult.Unhealthy("the anchors file's last line is not a signed checkpoint");
        }
        catch (IOException)
        {
            return HealthCheckResult.Unhealthy("the anchors file cannot be read");
        }
        catch (UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy("the anchors file cannot be read");
        }

        if (latest is null)
        {
            return HealthCheckResult.Degraded("no signed checkpoint yet");
        }

        long head;
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            head = await db.AuditChainHeads.AsNoTracking().Where(h => h.Id == AuditChainHead.SingletonId)
                .Select(h => h.LastSequence).SingleAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("the chain head cannot be read to compare with the newest checkpoint");
        }

        var age = time.GetUtcNow() - latest.Time;
        var uncovered = Math.Max(0, head - latest.Sequence);
        var data = new Dictionary<string, object> { ["checkpointAgeSeconds"] = Math.Round(Math.Max(0, age.TotalSeconds), 3), ["uncoveredRecords"] = uncovered };
        return uncovered > 0 && age > TimeSpan.FromSeconds(options.Value.CheckpointMaxAgeSeconds)
            ? HealthCheckResult.Degraded("records past the newest checkpoint are older than the bound", data: data)
            : HealthCheckResult.Healthy("the audit trail is anchored", data);
    }
}
