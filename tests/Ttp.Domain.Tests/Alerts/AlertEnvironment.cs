using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Alerts;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;
using Ttp.Domain.Tests.KeyRequests;

namespace Ttp.Domain.Tests.Alerts;

/// <summary>
/// An installation (<see cref="KeyRequestEnvironment"/>: real services, real audit writer) with low alert thresholds
/// (rate: 5 x and 10 per hour; faults: 5 in 10 minutes), an Auditor and a Security officer.
/// </summary>
internal sealed class AlertEnvironment : IAsyncDisposable
{
    public const string AuditorEmail = "auditor@ttp.example";
    public const string OfficerEmail = "so@ttp.example";
    public static readonly Actor Auditor = Actor.Staff(AuditorEmail);
    public static readonly Actor Officer = Actor.Staff(OfficerEmail);
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 30, 0, TimeSpan.Zero);

    private AlertEnvironment(KeyRequestEnvironment inner) => Inner = inner;

    public KeyRequestEnvironment Inner { get; }

    public AlertScanner Scanner => Inner.Services.GetRequiredService<AlertScanner>();

    public AlertService Alerts => Inner.Services.GetRequiredService<AlertService>();

    public AuditWriter Writer => Inner.Services.GetRequiredService<AuditWriter>();

    public static async Task<AlertEnvironment> CreateAsync(DatabaseProvider provider, int batchSize = 20_000)
    {
        var inner = await KeyRequestEnvironment.CreateAsync(provider, new Dictionary<string, string?>
        {
            ["Ttp:Alerts:RateFactor"] = "5",
            ["Ttp:Alerts:RateMinimumPerHour"] = "10",
            ["Ttp:Alerts:FaultCount"] = "5",
            ["Ttp:Alerts:FaultWindowMinutes"] = "10",
            ["Ttp:Alerts:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await using var scope = inner.Services.CreateAsyncScope();
        var staff = scope.ServiceProvider.GetRequiredService<StaffService>();
        await staff.AddAsync(AuditorEmail, StaffRoles.Auditor, "Correct-Horse-Battery-9", Actor.System);
        await staff.AddAsync(OfficerEmail, StaffRoles.SecurityOfficer, "Correct-Horse-Battery-9", Actor.System);
        return new AlertEnvironment(inner);
    }

    /// <summary>Appends one key-request record through the audit writer, as the key-request service writes it.</summary>
    public Task<long> RequestAsync(string tsm, string kdd, DateTimeOffset at, string outcome = AuditRecord.OutcomeOk, string iin = "A0000001") =>
        Writer.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm(tsm), $"issuer-key:{iin}/1", outcome, new
        {
            RequestId = Guid.NewGuid(), Tsm = tsm, Iin = iin, Kdd = kdd, Kvn = 1, KekIndex = 1, Outcome = outcome, LatencyMicroseconds = 120,
        }).WithOccurredAt(at));

    /// <summary>Appends <paramref name="count"/> requests of <paramref name="tsm"/>, one every <paramref name="step"/> back from <paramref name="last"/>.</summary>
    public async Task RequestsAsync(string tsm, int count, DateTimeOffset last, TimeSpan step, string outcome = AuditRecord.OutcomeOk)
    {
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => RequestAsync(tsm, CardOf(tsm, i), last - (step * i), outcome)));
    }

    /// <summary>A KDD of its own for each TSM and index: the bulk requests never name one card for two TSMs.</summary>
    public static string CardOf(string tsm, int i) =>
        Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(tsm)).PadRight(12, '0')[..12] + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<List<AuditAlert>> AllAlertsAsync()
    {
        await using var db = Inner.Database.Factory.CreateDbContext();
        var alerts = await db.AuditAlerts.AsNoTracking().ToListAsync();
        return [.. alerts.OrderBy(a => a.FirstSeen).ThenBy(a => a.DedupeKey)];
    }

    public async Task<List<AuditEvent>> RecordsAsync(string action)
    {
        await using var db = Inner.Database.Factory.CreateDbContext();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Action == action).OrderBy(e => e.Sequence).ToListAsync();
    }

    public async Task<long> WatermarkAsync()
    {
        await using var db = Inner.Database.Factory.CreateDbContext();
        return await db.AlertScanStates.AsNoTracking().Select(s => s.LastSequence).SingleAsync();
    }

    public async Task<long> HeadAsync()
    {
        await using var db = Inner.Database.Factory.CreateDbContext();
        return await db.AuditChainHeads.AsNoTracking().Select(h => h.LastSequence).SingleAsync();
    }

    public async ValueTask DisposeAsync() => await Inner.DisposeAsync();
}
