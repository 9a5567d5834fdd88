using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Xunit.Abstractions;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// 16 TSM clients for 10 seconds over keep-alive mutual TLS: every delivered answer has exactly one durable audit
/// record (write-ahead audit with group commit), and the audit chain verifies afterwards; on SQLite and on PostgreSQL.
/// </summary>
public sealed class KeyDistributionConcurrencyTests(ITestOutputHelper output)
{
    private const int Clients = 16;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task SixteenClientsTenSeconds_EveryResponseAuditedOnce_ChainVerifies(DatabaseProvider provider)
    {
        using var host = new PortalHost(new Dictionary<string, string>
        {
            ["Ttp:Soap:RateLimit:PermitsPerSecond"] = "1000000",
            ["Ttp:Soap:RateLimit:Burst"] = "1000000",
        }, provider);
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        await host.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"));
        await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11,
            Convert.FromHexString("404142434445464748494A4B4C4D4E4F"));
        var delivered = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();

        var workers = Enumerable.Range(0, Clients).Select(n => Task.Run(async () =>
        {
            using var client = host.CreateSoapClient(certificate);
            var i = 0;
            while (clock.Elapsed < Duration)
            {
                // Each client asks for its own cards: distinct KDDs.
                var kdd = $"{n:X4}{i++:X8}0708090A";
                var reply = await SoapWire.PostAsync(client, SoapWire.Request(kdd: kdd));
                if (reply.Status == HttpStatusCode.OK && !reply.IsFault && reply.Keys.Count == 3 && reply.RequestId is { } id)
                {
                    delivered.Add(id);
                }
                else
                {
                    failures.Add($"{reply.Status}: {reply.Body}");
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        output.WriteLine($"{provider}: {delivered.Count} keys answered by {Clients} clients in {Duration.TotalSeconds} s; {failures.Count} failures");
        Assert.Empty(failures);
        Assert.True(delivered.Count > Clients, $"only {delivered.Count} answers in {Duration}");
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        // Every request was answered with keys, so every key-request record says ok: one per answer, under its RequestId.
        var records = await SoapWire.KeyRequestRecordsAsync(host, "acme");
        Assert.All(records, r => Assert.Equal(AuditRecord.OutcomeOk, r.Outcome));
        Assert.Equal(delivered.Count, records.Count);
        var recorded = records.Select(r => RequestIdOf(r.Details)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Equal(records.Count, recorded.Count);
        Assert.All(delivered, id => Assert.Contains(id, recorded));
        // The chain verifies over every record in the database (the staff actions of the set-up and the key requests).
        var factory = host.Services.GetRequiredService<IDbContextFactory<TtpDbContext>>();
        var key = await host.Services.GetRequiredService<AuditKeyHolder>().GetAsync();
        var verification = await AuditVerifier.VerifyAsync(factory, key);
        Assert.True(verification.IsValid, verification.Problem);
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(await db.AuditEvents.LongCountAsync(), verification.RecordCount);
    }

    private static string RequestIdOf(string details)
    {
        using var json = System.Text.Json.JsonDocument.Parse(details);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (string.Equals(property.Name, "RequestId", StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.GetString()!;
            }
        }

        throw new InvalidOperationException("no RequestId in " + details);
    }
}
