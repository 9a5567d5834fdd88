using System.Globalization;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ttp.Domain.Data;

namespace Ttp.Domain.Audit;

/// <summary>
/// Writes the signed checkpoints of the audit chain to the anchors file (<see cref="AuditCheckpointFile"/>), one per
/// process, a singleton. Appenders hand it each committed append (the head before and after): staff actions are
/// checkpointed before they return; the key-request writer's batches at once when the last checkpoint is older than
/// <see cref="AuditOptions.CheckpointIntervalMs"/>, else when that interval ends, coalesced, off the writer's path.
/// </summary>
/// <remarks>
/// <para>A checkpoint is written only after the records it covers committed: a crash in between leaves the chain a few
/// records past the latest checkpoint, which verification accepts (and reports as not yet covered); the next checkpoint,
/// at the latest at the next start-up, covers them. A checkpoint past the chain's end therefore always means records
/// were removed.</para>
/// <para>It signs only what it has verified: the appends of this process, which continue one another, and records
/// appended by other processes in between, read back and checked (hash chain and the TTP's MAC) from the last checkpoint
/// on. Records the TTP did not write are never covered by a checkpoint; finding one is an integrity failure, logged at
/// Critical.</para>
/// </remarks>
public sealed partial class AuditAnchor : IAsyncDisposable
{
    private readonly IDbContextFactory<TtpDbContext> _factory;
    private readonly Func<CancellationToken, Task<AuditSigningKey>> _signingKey;
    private readonly Func<CancellationToken, Task<AuditKey>> _auditKey;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditAnchor> _logger;
    private readonly TimeSpan _interval;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _sync = new();
    private readonly SortedDictionary<long, Segment> _segments = [];
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _pump;
    private AuditChainPosition? _trusted;
    private long _lastWrittenTicks = DateTimeOffset.MinValue.UtcTicks; // read by the timer outside the gate

    /// <summary>The anchor of the installation (dependency injection): keys from their holders.</summary>
    public AuditAnchor(
        IDbContextFactory<TtpDbContext> factory,
        AuditCheckpointFile file,
        AuditSigningKeyHolder signingKey,
        AuditKeyHolder auditKey,
        IOptions<AuditOptions> options,
        TimeProvider timeProvider,
        ILogger<AuditAnchor> logger)
        : this(factory, file, signingKey.GetAsync, auditKey.GetAsync, options, timeProvider, logger)
    {
    }

    /// <summary>An anchor with the keys in hand (tools, benchmarks); the caller keeps and disposes them.</summary>
    public AuditAnchor(
        IDbContextFactory<TtpDbContext> factory,
        AuditCheckpointFile file,
        AuditSigningKey signingKey,
        AuditKey auditKey,
        IOptions<AuditOptions> options,
        TimeProvider timeProvider,
        ILogger<AuditAnchor> logger)
        : this(factory, file, _ => Task.FromResult(signingKey), _ => Task.FromResult(auditKey), options, timeProvider, logger)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(auditKey);
    }

    private AuditAnchor(
        IDbContextFactory<TtpDbContext> factory,
        AuditCheckpointFile file,
        Func<CancellationToken, Task<AuditSigningKey>> signingKey,
        Func<CancellationToken, Task<AuditKey>> auditKey,
        IOptions<AuditOptions> options,
        TimeProvider timeProvider,
        ILogger<AuditAnchor> logger)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _factory = factory;
        File = file;
        _signingKey = signingKey;
        _auditKey = auditKey;
        _time = timeProvider;
        _logger = logger;
        _interval = TimeSpan.FromMilliseconds(options.Value.CheckpointIntervalMs);
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The anchors file.</summary>
    public AuditCheckpointFile File { get; }

    /// <summary>
    /// Writes a checkpoint now for everything handed over so far, after checking it; null when nothing new is to be
    /// covered.
    /// </summary>
    /// <exception cref="IntegrityException">A record to be covered is missing, changed or not written by the TTP
    /// (what was verified before it is checkpointed), or the trail has no first checkpoint.</exception>
    public Task<AuditCheckpoint?> FlushAsync(CancellationToken cancellationToken = default) => WriteAsync(null, cancellationToken);

    /// <summary>
    /// Checks the records from the latest checkpoint to the database's current head and checkpoints them (start-up:
    /// covers what a crash or a stop left uncovered); null when the head is already covered.
    /// </summary>
    /// <exception cref="IntegrityException">As <see cref="FlushAsync"/>; also when the head row does not match its record.</exception>
    public async Task<AuditCheckpoint?> CheckpointHeadAsync(CancellationToken cancellationToken = default)
    {
        // The latest checkpoint first: the head can only have grown since it was written.
        var latest = File.ReadLatest();
        await using var db = await _factory.CreateDbContextAsync(cancellationToken);
        var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
        if (latest is not null && head.LastSequence < latest.Sequence)
        {
            throw new IntegrityException(string.Create(CultureInfo.InvariantCulture,
                $"{latest}, chain head at {head.LastSequence:N0}: records were removed from the end of the audit trail"));
        }

        if (latest is not null && head.LastSequence == latest.Sequence && !CryptographicOperations.FixedTimeEquals(head.LastHash, latest.ChainHash))
        {
            throw new IntegrityException($"the audit chain head does not match the {latest}: the trail was changed");
        }

        return await WriteAsync(new AuditChainPosition(head.LastSequence, head.LastHash), cancellationToken);
    }

    /// <summary>Stops the timer and writes what is still uncovered.</summary>
    public async ValueTask DisposeAsync()
    {
        _signal.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _pump.ConfigureAwait(false);
        await TryWriteAsync(CancellationToken.None);
        _stopping.Dispose();
        _gate.Dispose();
    }

    /// <summary>
    /// The first checkpoint of an installation: verifies the whole chain as stored (records up to
    /// <see cref="AuditChainHead.HmacThrough"/> with the audit key's HMAC) and covers its head. Null when the anchors file
    /// already holds a checkpoint.
    /// </summary>
    internal async Task<AuditCheckpoint?> BeginAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var signingKey = await _signingKey(cancellationToken);
            var auditKey = await _auditKey(cancellationToken);
            await using var db = await _factory.CreateDbContextAsync(cancellationToken);
            var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
            var genesis = new AuditChainPosition(0, AuditHash.Genesis.ToArray());
            var covered = head.LastSequence == 0
                ? genesis
                : await AuditChainCheck.VerifyStretchAsync(db, auditKey, genesis, head.LastSequence, head.HmacThrough, cancellationToken);
            if (!CryptographicOperations.FixedTimeEquals(covered.Hash, head.LastHash))
            {
                throw new IntegrityException($"the audit chain head does not match record {head.LastSequence}");
            }

            var now = _time.GetUtcNow();
            var first = await File.AppendAsync(
                latest => latest is null ? AuditCheckpoint.Sign(signingKey, covered, now, new byte[AuditHash.Size], head.HmacThrough) : null,
                create: true,
                cancellationToken);
            if (first is not null)
            {
                _trusted = first.Position;
                Volatile.Write(ref _lastWrittenTicks, now.UtcTicks);
            }

            return first;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Hands over a committed append (the key-request writer): checkpointed soon, coalesced.</summary>
    internal void Submit(AuditChainPosition previous, AuditChainPosition head)
    {
        Add(previous, head);
        _signal.Writer.TryWrite(true);
    }

    /// <summary>Hands over a committed append and checkpoints it now (staff actions); failures are logged, not thrown.</summary>
    internal Task CoverAsync(AuditChainPosition previous, AuditChainPosition head, CancellationToken cancellationToken)
    {
        Add(previous, head);
        return TryWriteAsync(cancellationToken);
    }

    /// <summary><see cref="CheckpointHeadAsync"/>, failures logged, not thrown (start-up goes on; verification reports them).</summary>
    internal async Task TryCheckpointHeadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CheckpointHeadAsync(cancellationToken);
        }
        catch (IntegrityException e)
        {
            Log.CheckpointRefused(_logger, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.CheckpointFailed(_logger, e);
        }
    }

    private void Add(AuditChainPosition previous, AuditChainPosition head)
    {
        lock (_sync)
        {
            _segments[previous.Sequence] = new Segment(previous.Hash, head);
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            while (await _signal.Reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                _signal.Reader.TryRead(out _);
                var wait = new DateTimeOffset(Volatile.Read(ref _lastWrittenTicks), TimeSpan.Zero) + _interval - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, _stopping.Token).ConfigureAwait(false);
                }

                await TryWriteAsync(_stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposal writes what is left.
        }
    }

    private async Task TryWriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (IntegrityException e)
        {
            Log.CheckpointRefused(_logger, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.CheckpointFailed(_logger, e);
        }
    }

    private readonly record struct Segment(byte[] StartHash, AuditChainPosition End);
}
