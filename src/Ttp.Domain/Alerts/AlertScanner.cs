using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Domain.Alerts;

/// <summary>What one scan did.</summary>
/// <param name="Through">Every record up to this sequence has now been scanned.</param>
/// <param name="Raised">New alerts.</param>
/// <param name="Recurred">Open alerts whose condition was found again.</param>
public sealed record AlertScanResult(long Through, int Raised, int Recurred);

/// <summary>
/// Computes alerts from the audit trail, incrementally: each scan reads the records after the watermark
/// (<see cref="AlertScanState"/>, at most <see cref="AlertOptions.BatchSize"/>), checks each against its predecessor's
/// hash and the TTP's MAC (a record that fails is never believed: it raises an integrity alert instead), and evaluates
/// the rules (<see cref="AlertRules"/>; integrity failures from <see cref="ScannedRecords"/>). A condition already open
/// adds to its alert's count; a new one is stored and audited (<c>alert.raised</c>, actor system) in the same transaction
/// that moves the watermark. A singleton: it caches the TSMs' hourly averages.
/// </summary>
public sealed class AlertScanner(
    IDbContextFactory<TtpDbContext> factory, AuditKeyHolder auditKey, IOptions<AlertOptions> options, TimeProvider time, AuditAnchor? anchor = null) : IDisposable
{
    /// <summary>The staff action that records a new alert.</summary>
    public const string RaisedAction = "alert.raised";

    private readonly ConcurrentDictionary<(string Tsm, long Hour), double> _baselines = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <summary>One scan over the records after the watermark.</summary>
    public async Task<AlertScanResult> ScanAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await ScanCoreAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Scans until the watermark reaches the head of the chain as it was when this started.</summary>
    public async Task<AlertScanResult> ScanToHeadAsync(CancellationToken cancellationToken = default)
    {
        long head;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            head = await db.AuditChainHeads.AsNoTracking().Where(h => h.Id == AuditChainHead.SingletonId).Select(h => h.LastSequence).SingleAsync(cancellationToken);
        }

        var total = new AlertScanResult(0, 0, 0);
        var last = -1L;
        while (true)
        {
            var pass = await ScanAsync(cancellationToken);
            total = new AlertScanResult(pass.Through, total.Raised + pass.Raised, total.Recurred + pass.Recurred);
            if (pass.Through >= head || pass.Through == last)
            {
                break;
            }

            last = pass.Through;
        }

        return total;
    }

    private async Task<AlertScanResult> ScanCoreAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var key = await auditKey.GetAsync(cancellationToken);
        long from, through;
        List<AlertFinding> findings;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            from = await db.AlertScanStates.AsNoTracking().Where(s => s.Id == AlertScanState.SingletonId).Select(s => s.LastSequence).SingleAsync(cancellationToken);
            var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
            through = Math.Min(head.LastSequence, from + settings.BatchSize);
            if (through <= from)
            {
                return new AlertScanResult(from, 0, 0);
            }

            findings = await FindAsync(db, key, head.HmacThrough, from, through, settings, cancellationToken);
        }

        return await StoreAsync(findings, key, from, through, cancellationToken);
    }

    private async Task<List<AlertFinding>> FindAsync(
        TtpDbContext db, AuditKey key, long hmacThrough, long from, long through, AlertOptions settings, CancellationToken cancellationToken)
    {
        var scanned = new ScannedRecords(settings.FaultCount);
        using var hasher = new AuditHasher(key);
        var previous = await PreviousHashAsync(db, from, cancellationToken);
        var expected = from + 1;
        var checkedOk = new HashSet<long>();
        var broken = new HashSet<long>();
        await foreach (var record in AuditEventRows.ReadRangeAsync(db, from, through, cancellationToken))
        {
            for (; expected < record.Sequence; expected++)
            {
                scanned.AddBroken(expected, record.OccurredAt, $"record {expected} is missing");
            }

            expected = record.Sequence + 1;
            var reason = previous is null ? AuditBreakReason.HashMismatch : AuditChainCheck.Check(hasher, previous, record, hmacThrough);
            previous = record.Hash;
            if (reason != AuditBreakReason.None)
            {
                scanned.AddBroken(record.Sequence, record.OccurredAt, AuditChainCheck.Describe(reason, record.Sequence));
                broken.Add(record.Sequence);
                continue;
            }

            checkedOk.Add(record.Sequence);
            scanned.Add(record);
        }

        var facts = scanned.KeyRequests;
        var findings = scanned.Findings;
        if (facts.Count == 0)
        {
            return findings;
        }

        var prior = await PriorAsync(db, [.. AlertRules.CandidateKeys(facts).Distinct(StringComparer.Ordinal)], cancellationToken);
        async Task<bool> IsIntactAsync(long sequence)
        {
            if (checkedOk.Contains(sequence))
            {
                return true;
            }

            if (broken.Contains(sequence))
            {
                return false;
            }

            var problem = await CheckOneAsync(db, key, hmacThrough, sequence, cancellationToken);
            if (problem is null)
            {
                checkedOk.Add(sequence);
                return true;
            }

            findings.Add(ScannedRecords.Broken(sequence, time.GetUtcNow(), problem));
            broken.Add(sequence);
            return false;
        }

        var rules = new AlertRules(new AlertHistory(db), settings, prior, IsIntactAsync, _baselines);
        findings.AddRange(await rules.SameCardAsync(facts, cancellationToken));
        findings.AddRange(await rules.RateAsync(facts, cancellationToken));
        findings.AddRange(await rules.FaultsAsync(facts, cancellationToken));
        return findings;
    }

    private async Task<AlertScanResult> StoreAsync(List<AlertFinding> findings, AuditKey key, long from, long through, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AuditLedger.LockHeadAsync(db, cancellationToken);
        var state = await db.AlertScanStates.SingleAsync(s => s.Id == AlertScanState.SingletonId, cancellationToken);
        if (state.LastSequence != from)
        {
            // Another process scanned these records meanwhile.
            return new AlertScanResult(state.LastSequence, 0, 0);
        }

        var merged = Merge(findings);
        var keys = merged.Select(f => f.Key).ToList();
        var open = await db.AuditAlerts.Where(a => a.State == AlertState.Open && keys.Contains(a.DedupeKey)).ToDictionaryAsync(a => a.DedupeKey, StringComparer.Ordinal, cancellationToken);
        var records = new List<AuditRecord>();
        var recurred = 0;
        foreach (var finding in merged)
        {
            if (open.TryGetValue(finding.Key, out var alert))
            {
                alert.Recur(finding);
                recurred++;
                continue;
            }

            alert = AuditAlert.Raise(finding);
            db.AuditAlerts.Add(alert);
            records.Add(AuditRecord.StaffAction(RaisedAction, Actor.System, AlertService.SubjectOf(alert.Id),
                new { alert.Kind, Condition = alert.DedupeKey, Concerns = alert.Subject, alert.Summary, alert.Count, Sequences = alert.SequenceList }));
        }

        state.LastSequence = through;
        await db.SaveChangesAsync(cancellationToken);
        AuditAppendResult? appended = null;
        if (records.Count > 0)
        {
            appended = await AuditLedger.AppendAndTellAsync(db, records, key, time, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (anchor is not null && appended is { } done)
        {
            await anchor.CoverAsync(done.Previous, done.Head, cancellationToken);
        }

        return new AlertScanResult(through, records.Count, recurred);
    }

    // One finding per key and scan: counts add up, the latest figures win.
    private static List<AlertFinding> Merge(List<AlertFinding> findings) =>
        [.. findings.GroupBy(f => f.Key, StringComparer.Ordinal).Select(g => g.Aggregate((a, b) => b with
        {
            FirstSeen = a.FirstSeen < b.FirstSeen ? a.FirstSeen : b.FirstSeen,
            LastSeen = a.LastSeen > b.LastSeen ? a.LastSeen : b.LastSeen,
            Count = a.Count + b.Count,
            Sequences = [.. a.Sequences.Concat(b.Sequences).Distinct()],
        }))];

    private static async Task<Dictionary<string, PriorAlert>> PriorAsync(TtpDbContext db, List<string> keys, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, PriorAlert>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(500))
        {
            var rows = await db.AuditAlerts.AsNoTracking().Where(a => chunk.Contains(a.DedupeKey))
                .Select(a => new { a.DedupeKey, a.State, a.AcknowledgedAt }).ToListAsync(cancellationToken);
            foreach (var group in rows.GroupBy(r => r.DedupeKey, StringComparer.Ordinal))
            {
                result[group.Key] = new PriorAlert(group.Any(r => r.State == AlertState.Open), group.Max(r => r.AcknowledgedAt));
            }
        }

        return result;
    }

    private static async Task<byte[]?> PreviousHashAsync(TtpDbContext db, long sequence, CancellationToken cancellationToken) =>
        sequence == 0
            ? AuditHash.Genesis.ToArray()
            : await db.AuditEvents.AsNoTracking().Where(e => e.Sequence == sequence).Select(e => e.Hash).SingleOrDefaultAsync(cancellationToken);

    // One earlier record against its predecessor's stored hash: null when intact, else the problem.
    private static async Task<string?> CheckOneAsync(TtpDbContext db, AuditKey key, long hmacThrough, long sequence, CancellationToken cancellationToken)
    {
        var previous = await PreviousHashAsync(db, sequence - 1, cancellationToken);
        AuditEvent? record = null;
        await foreach (var row in AuditEventRows.ReadRangeAsync(db, sequence - 1, sequence, cancellationToken))
        {
            record = row;
        }

        if (record is null || previous is null)
        {
            return $"record {sequence} or its predecessor is missing";
        }

        using var hasher = new AuditHasher(key);
        var reason = AuditChainCheck.Check(hasher, previous, record, hmacThrough);
        return reason == AuditBreakReason.None ? null : AuditChainCheck.Describe(reason, record.Sequence);
    }
}
