using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Verifies the whole audit trail in the background, one verification at a time per installation: the
/// <see cref="AuditVerificationState.Running"/> row of <c>audit_verifications</c> is the lease, taken in the chain's own
/// lock (<see cref="AuditedTransaction"/>), so that two portal nodes on one database never run two. A Running row whose
/// heartbeat is older than <see cref="StaleAfter"/> (its node died) is marked Abandoned and a new one starts. The check is
/// <see cref="AuditTrailVerifier"/>'s (chain and signed checkpoints); the records checked are written to the row every
/// <see cref="ProgressInterval"/> from the verifier's progress, off its loop. The start and the result are appended to
/// the chain as staff actions (<c>audit.verification-started</c>, <c>audit.verification-finished</c>); cancellation
/// (shutdown) leaves the row Abandoned. Time from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class AuditVerificationJob(
    IDbContextFactory<TtpDbContext> factory, AuditedTransaction audited, AuditTrailVerifier verifier, TimeProvider time)
{
    /// <summary>How often a running verification writes its progress (and heartbeat) to its row.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>A Running row without progress for longer than this belongs to a node that died: it may be taken over.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Takes the lease and records the start; run it with <see cref="RunAsync"/>. Refused while another verification is
    /// running with a fresh heartbeat (naming who started it and when); a stale one is marked Abandoned first.
    /// </summary>
    /// <exception cref="RuleViolationException">A verification is already running.</exception>
    public async Task<AuditVerification> StartAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var id = Guid.NewGuid();
        return await CommittedAsync(id, AuditVerificationState.Running, () => audited.RunAsync(async db =>
        {
            var now = time.GetUtcNow();
            var abandoned = new List<Guid>();
            foreach (var running in await db.AuditVerifications.Where(v => v.State == AuditVerificationState.Running).ToListAsync(cancellationToken))
            {
                if (!running.IsStale(now, StaleAfter))
                {
                    throw new RuleViolationException(string.Create(CultureInfo.InvariantCulture,
                        $"a verification of the whole trail is already running: started by {running.StartedText}, {running.RecordsChecked:N0} of {running.TotalRecords:N0} records checked"));
                }

                running.Abandon(string.Create(CultureInfo.InvariantCulture,
                    $"its node stopped reporting progress at {running.HeartbeatAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; taken over by {actor.Id}"), now);
                abandoned.Add(running.Id);
            }

            var total = await db.AuditChainHeads.AsNoTracking().Where(h => h.Id == AuditChainHead.SingletonId)
                .Select(h => h.LastSequence).SingleOrDefaultAsync(cancellationToken);
            var verification = AuditVerification.Start(id, actor.Id, now, total);
            db.AuditVerifications.Add(verification);
            var record = AuditRecord.StaffAction("audit.verification-started", actor, Subject(verification.Id), new
            {
                Verification = verification.Id,
                TotalRecords = total,
                Abandoned = abandoned.Count == 0 ? null : abandoned,
            });
            return (verification, record);
        }, cancellationToken));
    }

    /// <summary>
    /// Runs the verification started as <paramref name="id"/> to its end and records the result (row and chain).
    /// Cancelled (the portal stops), it leaves the row Abandoned. <paramref name="written"/>, when given, is told each
    /// number of records written to the row while running.
    /// </summary>
    /// <exception cref="NotFoundException">No such verification.</exception>
    /// <exception cref="RuleViolationException">It is not running (finished, or taken over).</exception>
    public async Task<AuditVerification> RunAsync(Guid id, IProgress<long>? written = null, CancellationToken cancellationToken = default)
    {
        AuditVerification started;
        // Not cancelled here: a shutdown now must still find the row, to leave it Abandoned.
        await using (var db = await factory.CreateDbContextAsync(CancellationToken.None))
        {
            started = await db.AuditVerifications.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, CancellationToken.None)
                ?? throw new NotFoundException($"no audit verification {id}");
        }

        if (started.State != AuditVerificationState.Running)
        {
            throw new RuleViolationException($"the audit verification {id} is not running ({started.State})");
        }

        var progress = new AuditVerificationProgress(factory, id, time, ProgressInterval, written);
        try
        {
            var result = await verifier.VerifyAsync(progress, cancellationToken);
            await progress.DrainAsync();
            return await FinishAsync(id, v => v.Finish(result, time.GetUtcNow()), CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await progress.DrainAsync();
            return await FinishAsync(id, v => v.Abandon("stopped before the end: the portal shut down", time.GetUtcNow(), progress.Latest), CancellationToken.None);
        }
        catch (Exception e) when (e is DomainException or DbException)
        {
            await progress.DrainAsync();
            return await FinishAsync(id, v => v.Fail("could not be checked: " + e.Message, time.GetUtcNow()), CancellationToken.None);
        }
    }

    /// <summary>Updates the row and appends <c>audit.verification-finished</c> in one transaction.</summary>
    private Task<AuditVerification> FinishAsync(Guid id, Action<AuditVerification> finish, CancellationToken cancellationToken) =>
        CommittedAsync(id, null, () => audited.RunAsync(async db =>
        {
            var verification = await db.AuditVerifications.SingleAsync(v => v.Id == id, cancellationToken);
            var takenOver = verification.State != AuditVerificationState.Running;
            if (!takenOver)
            {
                finish(verification);
            }

            // A verification taken over as stale keeps its Abandoned row; what it found is recorded all the same.
            var record = AuditRecord.StaffAction("audit.verification-finished", Actor.FromId(verification.StartedBy), Subject(id), new
            {
                Verification = id,
                State = verification.State.ToString(),
                Records = verification.RecordsChecked,
                verification.TotalRecords,
                Checkpoints = verification.CheckpointsChecked,
                verification.FirstBrokenSequence,
                DurationSeconds = Math.Round(verification.Duration.TotalSeconds, 3),
                verification.Problem,
            }, verification.Outcome ?? AuditRecord.OutcomeOk);
            return (verification, record);
        }, cancellationToken));

    /// <summary>
    /// Runs an audited change of the verification <paramref name="id"/>. On a broken trail the checkpoint written after
    /// the commit fails (<see cref="IntegrityException"/>) although the change and its record are committed: then the
    /// committed row is what counts (the verification names the break), not the exception.
    /// </summary>
    private async Task<AuditVerification> CommittedAsync(Guid id, AuditVerificationState? expected, Func<Task<AuditVerification>> change)
    {
        try
        {
            return await change();
        }
        catch (IntegrityException)
        {
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            var row = await db.AuditVerifications.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, CancellationToken.None);
            if (row is null || (expected is { } state ? row.State != state : row.State == AuditVerificationState.Running))
            {
                throw;
            }

            return row;
        }
    }

    private static string Subject(Guid id) => "audit-verification:" + id.ToString("D", CultureInfo.InvariantCulture);
}
