using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>What the portal shows of the background verifications (<see cref="AuditVerificationJob"/>): read-only.</summary>
public sealed class AuditVerificationQueries(IDbContextFactory<TtpDbContext> factory)
{
    /// <summary>The latest verification started (running or finished); null when none ever was.</summary>
    public async Task<AuditVerification?> LatestAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AuditVerifications.AsNoTracking().OrderByDescending(v => v.StartedAt).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The latest verification that ran to its end (Passed or Failed); null when none did.</summary>
    public async Task<AuditVerification?> LastFinishedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AuditVerifications.AsNoTracking()
            .Where(v => v.State == AuditVerificationState.Passed || v.State == AuditVerificationState.Failed)
            .OrderByDescending(v => v.FinishedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>One verification; null when there is none with that id.</summary>
    public async Task<AuditVerification?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.AuditVerifications.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
    }
}
