using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ttp.Domain.Data;
using Ttp.Domain.Metrics;

namespace Ttp.Domain.Audit;

/// <summary>
/// The group-commit writer of the audit chain for hot paths (key requests, docs/DESIGN.md section 5 "write-ahead audit"):
/// one per process, registered as a singleton. Callers queue records; one loop commits them in batches of up to
/// <see cref="AuditOptions.BatchMaxSize"/> records in one transaction through <see cref="AuditLedger"/>, so that many
/// requests share one durable commit (one fsync) instead of paying one each.
/// </summary>
/// <remarks>
/// <para><see cref="AppendAsync"/> completes only after the transaction that holds the record has committed; on any
/// failure every caller of that batch gets an <see cref="AuditUnavailableException"/> and the writer goes on with
/// later batches.</para>
/// <para>Batching: the loop takes what is queued and, while the batch is smaller than the previous one (a busy
/// server's callers come back together) and smaller than the maximum, waits for more, never longer than
/// <see cref="AuditOptions.BatchMaxDelayMs"/>; records that arrive during a commit form the next batch.</para>
/// <para>After each commit the batch is handed to <see cref="AuditAnchor"/>, which checkpoints it right after (at
/// once, or coalesced within <see cref="AuditOptions.CheckpointIntervalMs"/> when busy), without holding up the callers
/// or the next batch.</para>
/// <para>The queue is bounded (<see cref="AuditOptions.QueueCapacity"/> records waiting for a batch): when it is full,
/// <see cref="AppendAsync"/> fails at once with <see cref="AuditUnavailableException"/> (the key request is answered
/// <c>ServiceUnavailable</c> and releases no key) instead of queueing without limit or waiting; the loop is not held up.
/// The bound is an interlocked count beside the lock-free queue: no lock is added to an append.</para>
/// <para>The loop keeps one context with its connection open and the append statements prepared on it
/// (<see cref="AuditStatements"/>) from batch to batch, and opens a new one after a failed batch.</para>
/// <para>Disposal stops accepting records, commits those already queued, closes the connection and returns when the
/// loop has ended.</para>
/// </remarks>
public sealed class AuditWriter : IAsyncDisposable
{
    private readonly IDbContextFactory<TtpDbContext> _factory;
    private readonly Func<CancellationToken, Task<AuditKey>> _key;
    private readonly AuditAnchor? _anchor;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<AuditWriter> _logger;
    private readonly int _batchMaxSize;
    private readonly TimeSpan _batchMaxDelay;
    private static readonly TimeSpan SessionIdleLimit = TimeSpan.FromSeconds(60);

    private readonly int _queueCapacity;
    private readonly Channel<PendingRecord> _queue;
    private readonly Task _loop;
    private (TtpDbContext Db, AuditStatements Statements)? _session;
    private long _sessionUsedAt;
    private int _queued;
    private readonly TtpMetrics? _metrics;

    /// <summary>A writer with the audit key in hand (tests, tools); it writes no checkpoints.</summary>
    public AuditWriter(
        IDbContextFactory<TtpDbContext> factory,
        AuditKey key,
        IOptions<AuditOptions> options,
        TimeProvider timeProvider,
        ILogger<AuditWriter> logger)
        : this(factory, KeySource(key), null, options, timeProvider, logger)
    {
    }

    /// <summary>A writer with the audit key in hand whose batches <paramref name="anchor"/> checkpoints (tools, benchmarks).</summary>
    public AuditWriter(
        IDbContextFactory<TtpDbContext> factory,
        AuditKey key,
        AuditAnchor anchor,
        IOptions<AuditOptions> options,
        TimeProvider timeProvider,
        ILogger<AuditWriter> logger)
        : this(factory, KeySource(key), anchor, options, timeProvider, logger)
    {
        ArgumentNullException.ThrowIfNull(anchor);
    }

    /// <summary>
    /// A writer that takes the audit key from <paramref name="keyHolder"/> when its first batch commits (the dependency
    /// injection constructor); while the key cannot be loaded, appends fail with <see cref="AuditUnavailableException"/>.
    /// Each committed batch is handed to <paramref name="anchor"/> for a checkpoint; <paramref name="metrics"/>, when
    /// given, observes the queue's depth and each commit's duration.
    /// </summary>
    public AuditWriter(
        IDbContextFactory<TtpDbContext> factory,
        AuditKeyHolder keyHolder,
        AuditAnchor anchor,
        IOptions<AuditOptions> options,
        TimeProvider timeProvider,
        ILogger<AuditWriter> logger,
        TtpMetrics? metrics = null)
        : this(factory, KeySource(keyHolder), anchor, options, timeProvider, logger)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        _metrics = metrics;
        metrics?.ObserveAuditQueue(() => QueueDepth);
    }

    /// <summary>Records waiting for a batch (at most <see cref="QueueCapacity"/>).</summary>
    public int QueueDepth => Math.Max(0, Volatile.Read(ref _queued));

    /// <summary>The most records that may wait for a batch (<see cref="AuditOptions.QueueCapacity"/>).</summary>
    public int QueueCapacity => _queueCapacity;

    /// <summary>False once the writer's loop has ended (disposed, or stopped by a fault): appends then fail.</summary>
    public bool IsRunning => !_loop.IsCompleted;

    private AuditWriter(
        IDbContextFactory<TtpDbContext> factory,
        Func<CancellationToken, Task<AuditKey>> key,
        AuditAnchor? anchor,
        IOptions<AuditOptions> options,
        TimeProvider timeProvider,
        ILogger<AuditWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var settings = options.Value;
        Validator.ValidateObject(settings, new ValidationContext(settings), validateAllProperties: true);

        _factory = factory;
        _key = key;
        _anchor = anchor;
        _timeProvider = timeProvider;
        _logger = logger;
        _batchMaxSize = settings.BatchMaxSize;
        _batchMaxDelay = TimeSpan.FromMilliseconds(settings.BatchMaxDelayMs);
        _queueCapacity = settings.QueueCapacity;
        _queue = Channel.CreateUnbounded<PendingRecord>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Queues <paramref name="record"/> (stamped with the current time when it has none) and completes once it is
    /// durably committed. Cancelling stops the wait only: the record may still be committed.
    /// </summary>
    /// <returns>The record's sequence in the chain.</returns>
    /// <exception cref="AuditUnavailableException">The batch could not be committed, the queue is full
    /// (<see cref="AuditOptions.QueueCapacity"/>: failed at once, nothing queued), or the writer is stopped.</exception>
    public Task<long> AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<long>(cancellationToken);
        }

        if (Interlocked.Increment(ref _queued) > _queueCapacity)
        {
            Interlocked.Decrement(ref _queued);
            return Task.FromException<long>(new AuditUnavailableException("The audit writer's queue is full; nothing was done."));
        }

        var stamped = record.OccurredAt is null ? record.WithOccurredAt(_timeProvider.GetUtcNow()) : record;

        var completion = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new PendingRecord(stamped, completion)))
        {
            Interlocked.Decrement(ref _queued);
            return Task.FromException<long>(new AuditUnavailableException("The audit writer is stopped."));
        }

        return cancellationToken.CanBeCanceled ? completion.Task.WaitAsync(cancellationToken) : completion.Task;
    }

    /// <summary>Stops accepting records, commits the queued ones, and waits for the loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private static Func<CancellationToken, Task<AuditKey>> KeySource(AuditKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var loaded = Task.FromResult(key);
        return _ => loaded;
    }

    private static Func<CancellationToken, Task<AuditKey>> KeySource(AuditKeyHolder keyHolder)
    {
        ArgumentNullException.ThrowIfNull(keyHolder);
        return keyHolder.GetAsync;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingRecord>(_batchMaxSize);
        var records = new List<AuditRecord>(_batchMaxSize);
        var previousBatchSize = 1;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            Drain(reader, batch);
            var target = Math.Min(previousBatchSize, _batchMaxSize);
            if (batch.Count < target && _batchMaxDelay > TimeSpan.Zero)
            {
                await GatherAsync(reader, batch, target).ConfigureAwait(false);
            }

            previousBatchSize = batch.Count;
            await CommitAsync(batch, records).ConfigureAwait(false);
            batch.Clear();
            records.Clear();
        }

        await CloseSessionAsync().ConfigureAwait(false);
    }

    private void Drain(ChannelReader<PendingRecord> reader, List<PendingRecord> batch)
    {
        var taken = 0;
        while (batch.Count < _batchMaxSize && reader.TryRead(out var pending))
        {
            batch.Add(pending);
            taken++;
        }

        if (taken > 0)
        {
            Interlocked.Add(ref _queued, -taken);
        }
    }

    private async Task GatherAsync(ChannelReader<PendingRecord> reader, List<PendingRecord> batch, int target)
    {
        using var timeout = new CancellationTokenSource(_batchMaxDelay, _timeProvider);
        try
        {
            while (batch.Count < target && await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                Drain(reader, batch);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // Waited long enough: commit what we have.
        }
    }

    private async Task CommitAsync(List<PendingRecord> batch, List<AuditRecord> records)
    {
        foreach (var pending in batch)
        {
            records.Add(pending.Record);
        }

        AuditAppendResult appended;
        try
        {
            var key = await _key(CancellationToken.None).ConfigureAwait(false);
            if (_session is { } held && (DatabaseFileGone(held.Db) || _timeProvider.GetElapsedTime(_sessionUsedAt) > SessionIdleLimit))
            {
                // The held connection would go on writing into a database file that was deleted or moved away (an
                // unlinked file keeps its data for whoever holds it open): records lost, keys released. Reopen instead,
                // which fails while the file is gone. After a quiet spell, reopen too: a server may have ended an idle
                // connection (idle timeouts, a failover), which would cost the next batch.
                await CloseSessionAsync().ConfigureAwait(false);
            }

            var (db, statements) = _session ??= await OpenSessionAsync().ConfigureAwait(false);
            _sessionUsedAt = _timeProvider.GetTimestamp();
            var started = _sessionUsedAt;
            await using var transaction = await db.Database.BeginTransactionAsync().ConfigureAwait(false);
            appended = await AuditLedger.AppendAndTellAsync(db, records, key, _timeProvider, CancellationToken.None, statements).ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
            _metrics?.AuditCommitted(_timeProvider.GetElapsedTime(started));
        }
        catch (Exception exception)
        {
            // The outcome of a failed commit may be unknown (a lost connection): callers are refused either way, so a
            // record may exist for a request that was answered ServiceUnavailable, never the reverse. The connection is
            // not trusted again: the next batch opens a new one.
            await CloseSessionAsync().ConfigureAwait(false);
            Log.AuditBatchFailed(_logger, batch.Count, exception);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(new AuditUnavailableException("The audit chain could not be written; nothing was done.", exception));
            }

            return;
        }

        // Committed: the checkpoint follows (coalesced, off this loop); the callers are answered now.
        _anchor?.Submit(appended.Previous, appended.Head);
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(appended.First + i);
        }
    }

    // The writer's context, its connection held open between batches, and the append statements prepared on it.
    private async Task<(TtpDbContext Db, AuditStatements Statements)> OpenSessionAsync()
    {
        var db = await _factory.CreateDbContextAsync().ConfigureAwait(false);
        try
        {
            await db.Database.OpenConnectionAsync().ConfigureAwait(false);
            return (db, new AuditStatements(db.Database.GetDbConnection()));
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // SQLite only: the file the held connection opened is no longer at its path (one stat per batch). A file put at the
    // path in its place is not detected here (as with the connections the driver pools).
    private static bool DatabaseFileGone(TtpDbContext db) =>
        db.Database.GetDbConnection() is Microsoft.Data.Sqlite.SqliteConnection { DataSource: { Length: > 0 } file }
        && file != ":memory:"
        && !File.Exists(file);

    // Abandons the held connection; never throws (it runs in the failure path, before the batch's callers are answered).
    private async Task CloseSessionAsync()
    {
        if (_session is var (db, statements))
        {
            _session = null;
            try
            {
                await statements.DisposeAsync().ConfigureAwait(false);
                await db.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                Log.AuditConnectionCloseFailed(_logger, exception);
            }
        }
    }

    private readonly record struct PendingRecord(AuditRecord Record, TaskCompletionSource<long> Completion);
}
