using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Audit;

/// <summary>A key request appended with known fields.</summary>
internal sealed record KeyRequestSample(long Sequence, DateTimeOffset At, Guid RequestId, string Tsm, int Kvn, string Outcome);

/// <summary>Audit records appended through the real <see cref="AuditWriter"/>, one at a time, with known fields.</summary>
internal static class AuditPageData
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>How long a page test waits for the grid: a search on PostgreSQL on a loaded 2-core machine can take seconds.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Clicks the first element matching <paramref name="selector"/>, found again if the grid re-rendered between the find
    /// and the click (its rows' handlers are then new: bUnit refuses the old one).
    /// </summary>
    public static async Task ClickFirstAsync(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> cut, string selector)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await cut.FindAll(selector)[0].ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
                return;
            }
            catch (Exception e) when (attempt < 5 && IsStaleHandler(e))
            {
                await Task.Delay(100);
            }
        }
    }

    private static bool IsStaleHandler(Exception e) =>
        e is Bunit.Rendering.UnknownEventHandlerIdException
        || (e is AggregateException aggregate && aggregate.InnerExceptions.All(IsStaleHandler));

    /// <summary>Appends <paramref name="count"/> key requests, one a minute from <see cref="Start"/>: TSM acme/globex alternating, KVN 1..3.</summary>
    public static async Task<List<KeyRequestSample>> AppendKeyRequestsAsync(PortalDomain domain, int count)
    {
        var audit = domain.Context.Services.GetRequiredService<AuditWriter>();
        var samples = new List<KeyRequestSample>();
        for (var i = 0; i < count; i++)
        {
            var tsm = i % 2 == 0 ? "acme" : "globex";
            var outcome = i % 5 == 4 ? "ScopeDenied" : AuditRecord.OutcomeOk;
            var at = Start.AddMinutes(i);
            var requestId = Guid.NewGuid();
            var details = new
            {
                RequestId = requestId, Tsm = tsm, CertificateThumbprint = $"THUMB{i:D4}", RemoteAddress = "192.0.2.10", Iin = "A0000001",
                Kdd = $"00112233445566{i:D4}", Cin = "AB01", Kvn = i % 3 + 1, KekIndex = 1, Outcome = outcome, Scheme = "Scp03",
                CheckValues = new { Enc = $"E{i:D5}", Mac = $"M{i:D5}", Dek = $"D{i:D5}" }, LatencyMicroseconds = 500 + i,
            };
            var sequence = await audit.AppendAsync(AuditRecord.KeyRequest(Actor.Tsm(tsm), "issuer-key:A0000001/" + (i % 3 + 1), outcome, details).WithOccurredAt(at));
            samples.Add(new KeyRequestSample(sequence, at, requestId, tsm, i % 3 + 1, outcome));
        }

        return samples;
    }

    /// <summary>Types <paramref name="value"/> into the filter field <paramref name="name"/>.</summary>
    public static void Type<T>(IRenderedComponent<T> cut, string name, string value)
        where T : Microsoft.AspNetCore.Components.IComponent
    {
        var input = cut.Find($"[data-testid=filter-{name}] input");
        input.Input(value);
    }
}
