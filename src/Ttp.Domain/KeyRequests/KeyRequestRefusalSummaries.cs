using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Ttp.Domain.Audit;

namespace Ttp.Domain.KeyRequests;

/// <summary>
/// The refusals of each TSM beyond its rate limit (docs/DESIGN.md section 5, "Bounded refusals"): counted in memory,
/// not audited one by one, and written as one summary record per TSM per second through <see cref="AuditWriter"/>
/// (action <see cref="AuditRecord.RefusalsSummarisedAction"/>, key-request stream, outcome
/// <see cref="AuditRecord.OutcomeRefused"/>; details: the TSM, the period, the count, and the count per fault code).
/// A singleton: a timer of the <see cref="TimeProvider"/> flushes every second the TSMs with pending counts; disposal
/// (shutdown) flushes what is left before the writer stops.
/// </summary>
/// <remarks>
/// Counting takes a lock of the TSM's own entry, on the refusal path only; the success path never comes here. When a
/// summary cannot be written (audit trail unavailable) its counts go back and the next flush tries again.
/// </remarks>
public sealed class KeyRequestRefusalSummaries : IAsyncDisposable
{
    /// <summary>How often pending counts are written: at most one summary record per TSM per interval.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly AuditWriter _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<KeyRequestRefusalSummaries> _logger;
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly ITimer _timer;
    private int _disposed;

    /// <summary>Starts the flush timer on <paramref name="time"/>.</summary>
    public KeyRequestRefusalSummaries(AuditWriter audit, TimeProvider time, ILogger<KeyRequestRefusalSummaries> logger)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _audit = audit;
        _time = time;
        _logger = logger;
        _timer = time.CreateTimer(static state => ((KeyRequestRefusalSummaries)state!).OnTick(), this, Interval, Interval);
    }

    /// <summary>Counts one refusal of <paramref name="tsm"/> beyond its rate, with the code it was answered.</summary>
    public void Count(string tsm, KeyDistributionFaultCode code)
    {
        ArgumentNullException.ThrowIfNull(tsm);
        _pending.GetOrAdd(tsm, static _ => new Pending()).Add(code, _time.GetUtcNow());
    }

    /// <summary>
    /// Writes one summary record for each TSM with pending counts and waits until they are committed (or failed: the
    /// counts are then kept for the next flush). The timer calls it every <see cref="Interval"/>; tests may call it.
    /// </summary>
    public async Task FlushAsync()
    {
        await _flushing.WaitAsync().ConfigureAwait(false);
        try
        {
            await FlushCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>Stops the timer and writes what is pending (before the audit writer, which it depends on, stops).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _timer.DisposeAsync().ConfigureAwait(false);
        await FlushAsync().ConfigureAwait(false);
        _flushing.Dispose();
    }

    private void OnTick()
    {
        // A flush still running (a slow commit) covers this tick: the next one writes what came since.
        if (Volatile.Read(ref _disposed) != 0 || !_flushing.Wait(0))
        {
            return;
        }

        _ = TickAsync();
    }

    private async Task TickAsync()
    {
        try
        {
            await FlushCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task FlushCoreAsync()
    {
        List<Task>? writes = null;
        foreach (var (tsm, pending) in _pending)
        {
            if (pending.Take() is { } summary)
            {
                (writes ??= []).Add(WriteAsync(tsm, pending, summary));
            }
        }

        if (writes is not null)
        {
            await Task.WhenAll(writes).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(string tsm, Pending pending, Summary summary)
    {
        try
        {
            await _audit.AppendAsync(AuditRecord.RefusalsSummarised(Actor.Tsm(tsm), summary.Details(tsm))).ConfigureAwait(false);
        }
        catch (AuditUnavailableException e)
        {
            pending.Restore(summary);
            KeyRequestLog.SummaryAuditFailed(_logger, tsm, summary.Total, e);
        }
    }

    private sealed class Summary(DateTimeOffset from, DateTimeOffset to, long[] counts)
    {
        public DateTimeOffset From { get; } = from;

        public DateTimeOffset To { get; } = to;

        public long[] Counts { get; } = counts;

        public long Total => Counts.Sum();

        public object Details(string tsm)
        {
            var codes = new SortedDictionary<string, long>(StringComparer.Ordinal);
            for (var i = 0; i < Counts.Length; i++)
            {
                if (Counts[i] > 0)
                {
                    codes[((KeyDistributionFaultCode)i).ToString()] = Counts[i];
                }
            }

            return new { Tsm = tsm, From, To, Refused = Total, Codes = codes };
        }
    }

    private sealed class Pending
    {
        private static readonly int Slots = Enum.GetValues<KeyDistributionFaultCode>().Max(c => (int)c) + 1;
        private readonly Lock _gate = new();
        private long[] _counts = new long[Slots];
        private bool _any;
        private DateTimeOffset _from;
        private DateTimeOffset _to;

        public void Add(KeyDistributionFaultCode code, DateTimeOffset now)
        {
            lock (_gate)
            {
                if (!_any)
                {
                    _any = true;
                    _from = now;
                }

                _to = now;
                _counts[(int)code]++;
            }
        }

        public Summary? Take()
        {
            lock (_gate)
            {
                if (!_any)
                {
                    return null;
                }

                var summary = new Summary(_from, _to, _counts);
                _counts = new long[Slots];
                _any = false;
                return summary;
            }
        }

        public void Restore(Summary summary)
        {
            lock (_gate)
            {
                for (var i = 0; i < Slots; i++)
                {
                    _counts[i] += summary.Counts[i];
                }

                _to = _any && _to > summary.To ? _to : summary.To;
                _from = _any && _from < summary.From ? _from : summary.From;
                _any = true;
            }
        }
    }
}
