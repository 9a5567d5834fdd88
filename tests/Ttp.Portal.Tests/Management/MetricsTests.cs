using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Portal.Tests.Soap;

namespace Ttp.Portal.Tests.Management;

/// <summary>
/// The metrics of the management endpoint, read as a scraper would (Prometheus text over plain HTTP), before and after
/// real key requests over mutual TLS: every listed metric is there under its exact name and moves.
/// </summary>
/// <remarks>
/// Meters are process-wide: a host's exporter also sees the "Ttp" Meter of every other host alive in the test process
/// (one host per process in production). These tests therefore run alone (<see cref="MetricsCollection"/>).
/// </remarks>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    private const string Tsm = "metrics-tsm";

    [Fact]
    public async Task Metrics_AfterKeyRequests_EveryListedMetricAppearsAndMoves()
    {
        using var host = new PortalHost(new Dictionary<string, string>
        {
            // Three requests, then refused beyond the rate.
            ["Ttp:Soap:RateLimit:PermitsPerSecond"] = "0.001",
            ["Ttp:Soap:RateLimit:Burst"] = "3",
        });
        using var certificate = TestClientCertificates.Create(Tsm);
        using var other = TestClientCertificates.Create("metrics-other");
        using var stranger = TestClientCertificates.Create("metrics-stranger");
        await host.RegisterTsmAsync(Tsm, certificate, "A0000001");
        await host.RegisterTsmAsync("metrics-other", other, "A0000002");
        await host.AddKekAsync(Tsm, 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"));
        await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11,
            Convert.FromHexString("404142434445464748494A4B4C4D4E4F"));
        using var management = host.CreateManagementClient();
        using var soap = host.CreateSoapClient(certificate);
        var before = await PrometheusText.ScrapeAsync(management);

        // A delivery; then another TSM's record changed behind the product's back (the next request's directory load
        // finds it: an integrity failure) with a second delivery; then requests until one is refused beyond the rate.
        var first = await SoapWire.PostAsync(soap, SoapWire.Request());
        Assert.Equal(3, first.Keys.Count);
        Assert.Equal(1, await host.ExecuteSqlAsync("UPDATE tsms SET rate_limit_per_second = 9999 WHERE name = 'metrics-other'"));
        var second = await SoapWire.PostAsync(soap, SoapWire.Request());
        Assert.Equal(3, second.Keys.Count);
        var refusals = new List<string?>();
        for (var i = 0; i < 5 && !refusals.Contains("RateLimited"); i++)
        {
            refusals.Add((await SoapWire.PostAsync(soap, SoapWire.Request())).FaultCode);
        }

        Assert.Contains("RateLimited", refusals);
        await SoapHandshakes.AssertRefusedAsync(host, stranger);
        var after = await PrometheusText.ScrapeAsync(management);

        Assert.Equal("counter", after.Types["ttp_key_requests_total"]);
        Assert.Equal("histogram", after.Types["ttp_key_request_duration_seconds"]);
        Assert.Equal("gauge", after.Types["ttp_audit_queue_depth"]);
        Assert.Equal("histogram", after.Types["ttp_audit_commit_duration_seconds"]);
        Assert.Equal("counter", after.Types["ttp_rate_limited_total"]);
        Assert.Equal("counter", after.Types["ttp_integrity_failures_total"]);
        Assert.Equal("counter", after.Types["ttp_tls_handshake_refusals_total"]);

        var ok = ("outcome", "Ok");
        var tsm = ("tsm", Tsm);
        Assert.Equal(0, before.Sum("ttp_key_requests_total", tsm));
        Assert.True(after.Sum("ttp_key_requests_total", tsm, ok) >= 2, after.Text);
        Assert.True(after.Sum("ttp_key_requests_total", tsm, ("outcome", "RateLimited")) >= 1, after.Text);
        Assert.True(after.Sum("ttp_key_request_duration_seconds_count", tsm, ok) >= 2, after.Text);
        Assert.True(after.Sum("ttp_key_request_duration_seconds_sum", tsm, ok) > 0, after.Text);
        Assert.True(after.Sum("ttp_key_request_duration_seconds_bucket", tsm, ok, ("le", "+Inf")) >= 2, after.Text);
        Assert.True(after.Sum("ttp_rate_limited_total", tsm) >= 1, after.Text);
        Assert.True(after.Sum("ttp_audit_commit_duration_seconds_count") > before.Sum("ttp_audit_commit_duration_seconds_count"), after.Text);
        Assert.True(after.Sum("ttp_integrity_failures_total") > before.Sum("ttp_integrity_failures_total"), after.Text);
        Assert.True(after.Sum("ttp_tls_handshake_refusals_total") > before.Sum("ttp_tls_handshake_refusals_total"), after.Text);
        Assert.True(after.Has("ttp_audit_queue_depth"), after.Text);

        // Labels are TSM names and outcomes only: nothing the requests carried, no certificate of a stranger.
        foreach (var value in new[] { "0102030405060708090A", "A0000001", "metrics-stranger", SoapHandshakes.Thumbprint(stranger), SoapHandshakes.Thumbprint(certificate) })
        {
            Assert.DoesNotContain(value, after.Text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task AuditQueueDepth_WriterHeldBySqliteLock_RisesThenFalls()
    {
        using var host = new PortalHost(new Dictionary<string, string>
        {
            ["Ttp:Soap:RateLimit:PermitsPerSecond"] = "1000",
            ["Ttp:Soap:RateLimit:Burst"] = "1000",
        });
        using var certificate = TestClientCertificates.Create(Tsm);
        await host.RegisterTsmAsync(Tsm, certificate, "A0000001");
        await host.AddKekAsync(Tsm, 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"));
        await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11,
            Convert.FromHexString("404142434445464748494A4B4C4D4E4F"));
        using var management = host.CreateManagementClient();
        Assert.Equal(0, (await PrometheusText.ScrapeAsync(management)).Sum("ttp_audit_queue_depth"));

        // Another writer holds SQLite's write lock: the audit writer's batch waits for it, and what comes after queues.
        double highest;
        List<Task<SoapReply>> requests;
        await using (var holder = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "ttp.db")};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }

            // The first request's record is taken into a batch that waits for the lock; the next ones queue behind it.
            requests = [Request(0)];
            await Task.Delay(500);
            requests.AddRange(Enumerable.Range(1, 3).Select(Request));
            highest = 0;
            var waited = Stopwatch.StartNew();
            while (highest < 1 && waited.Elapsed < TimeSpan.FromSeconds(15))
            {
                highest = Math.Max(highest, (await PrometheusText.ScrapeAsync(management)).Sum("ttp_audit_queue_depth"));
                await Task.Delay(50);
            }

            await using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        var replies = await Task.WhenAll(requests);

        Task<SoapReply> Request(int n) => Task.Run(async () =>
        {
            using var soap = host.CreateSoapClient(certificate);
            return await SoapWire.PostAsync(soap, SoapWire.Request(kdd: $"{n:X4}0203040506070809"));
        });

        Assert.True(highest >= 1, "the queue depth never rose while the writer was held");
        Assert.All(replies, reply => Assert.Equal(3, reply.Keys.Count));
        Assert.Equal(0, (await PrometheusText.ScrapeAsync(management)).Sum("ttp_audit_queue_depth"));
    }
}

/// <summary>The tests that read the process-wide "Ttp" Meter: run after the others, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics (alone)";
}
