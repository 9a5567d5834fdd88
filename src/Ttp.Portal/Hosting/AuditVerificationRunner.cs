using System.Collections.Concurrent;
using Ttp.Domain;
using Ttp.Domain.Audit;

namespace Ttp.Portal.Hosting;

/// <summary>
/// Runs the background verifications of the whole audit trail (<see cref="AuditVerificationJob"/>) on tasks of the
/// portal, independent of the circuit that started one: a reload, a second browser or a sign-out finds the same job
/// (its row: <see cref="AuditVerificationQueries"/>). One at a time per installation is the job's lease, not this
/// runner's. When the portal stops, the running job is cancelled and its row left Abandoned. Logs ids, counts and
/// outcomes, never a record's content.
/// </summary>
public sealed partial class AuditVerificationRunner(AuditVerificationJob job, ILogger<AuditVerificationRunner> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Guid, Task> _running = new();
    private int _disposed;

    /// <summary>
    /// Starts a verification as <paramref name="actor"/> and runs it in the background; returns its row as started.
    /// </summary>
    /// <exception cref="RuleViolationException">A verification is already running (the message names who started it and when).</exception>
    public async Task<AuditVerification> StartAsync(Actor actor)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1 || _stopping.IsCancellationRequested, this);
        var started = await job.StartAsync(actor, _stopping.Token);
        LogStarted(logger, started.Id, actor.Id, started.TotalRecords);
        var run = Task.Run(() => RunAsync(started.Id));
        _running[started.Id] = run;
        _ = run.ContinueWith(_ => _running.TryRemove(started.Id, out var _), TaskScheduler.Default);
        return started;
    }

    /// <summary>Completes when every verification this runner started has ended (tests).</summary>
    internal Task WhenIdleAsync() => Task.WhenAll(_running.Values);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Cancels the running verification and waits (up to the host's shutdown timeout) for its row to be left Abandoned.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_running.Values).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Cancels a verification still running; idempotent (the container disposes the instance as the singleton and as the hosted service).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    private async Task RunAsync(Guid id)
    {
        try
        {
            var finished = await job.RunAsync(id, null, _stopping.Token);
            LogFinished(logger, id, finished.State, finished.RecordsChecked, finished.FirstBrokenSequence);
        }
        catch (Exception e)
        {
            // The row stays Running until its heartbeat is stale; the next start takes it over.
            LogFailed(logger, id, e.GetType().Name, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit verification {Id} started by {Actor}: {Total} records")]
    private static partial void LogStarted(ILogger logger, Guid id, string actor, long total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit verification {Id} ended {State}: {Records} records checked, first broken record {Broken}")]
    private static partial void LogFinished(ILogger logger, Guid id, AuditVerificationState state, long records, long? broken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit verification {Id} failed ({Type}: {Reason}); its row is taken over once stale")]
    private static partial void LogFailed(ILogger logger, Guid id, string type, string reason);
}
