using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Portal.Management;

/// <summary>
/// The database answers a query: the audit chain's head row is read through a connection of its own. SQLite: a new,
/// unpooled connection that does not create the file, so that a database file moved or deleted is seen (a pooled
/// connection keeps reading the old file).
/// </summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<TtpDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            if (db.Database.GetDbConnection() is SqliteConnection sqlite)
            {
                db.Database.SetConnectionString(new SqliteConnectionStringBuilder(sqlite.ConnectionString)
                {
                    Pooling = false,
                    Mode = SqliteOpenMode.ReadWrite,
                }.ToString());
            }

            var heads = await db.AuditChainHeads.AsNoTracking().CountAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
            return heads == 1
                ? HealthCheckResult.Healthy("the database answers")
                : HealthCheckResult.Unhealthy("the database answers but holds no audit chain");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // No exception in the result: its message may name the server or carry the connection string.
            return HealthCheckResult.Unhealthy("the database does not answer");
        }
    }
}
