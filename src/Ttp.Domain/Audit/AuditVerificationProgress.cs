using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// The verifier's progress for <see cref="AuditVerificationJob"/>: keeps the latest count (a store per report, on the
/// verifying thread) and, at most every <c>interval</c>, writes it with the heartbeat to the verification's row on
/// another task, one write at a time, so that the verification never waits on the database for its progress. A failed
/// write is skipped (the next one or the result catches up).
/// </summary>
internal sealed class AuditVerificationProgress(
    IDbContextFactory<TtpDbContext> factory, Guid id, TimeProvider time, TimeSpan interval, IProgress<long>? written) : IProgress<long>
{
    private long _latest;
    private DateTimeOffset _lastWrite = time.GetUtcNow();
    private Task _pending = Task.CompletedTask;

    /// <summary>The latest number of records verified.</summary>
    public long Latest => Volatile.Read(ref _latest);

    public void Report(long value)
    {
        Volatile.Write(ref _latest, value);
        if (!_pending.IsCompleted)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (now - _lastWrite < interval)
        {
            return;
        }

        _lastWrite = now;
        _pending = Task.Run(() => WriteAsync(value, now));
    }

    /// <summary>Waits for the write under way, if any.</summary>
    public Task DrainAsync() => _pending;

    private async Task WriteAsync(long records, DateTimeOffset now)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync();
            var updated = await db.AuditVerifications
                .Where(v => v.Id == id && v.State == AuditVerificationState.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.RecordsChecked, records).SetProperty(v => v.HeartbeatAt, now));
            if (updated == 1)
            {
                written?.Report(records);
            }
        }
        catch (DbException)
        {
            // Busy or unreachable for a moment: the next write, or the result, catches up.
        }
    }
}
