using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Portal.Tests.Soap;

namespace Ttp.Portal.Tests.Management;

/// <summary>
/// Readiness follows the database: stopped under the running portal (PostgreSQL refusing connections, its sessions
/// ended; SQLite's file moved away), <c>/health/ready</c> answers 503 with the database check Unhealthy and nothing of
/// the cause; started again, it answers 200. Liveness stays 200 throughout.
/// </summary>
public sealed class ReadinessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task Ready_DatabaseStoppedThenStarted_TurnsUnreadyThenReady(DatabaseProvider provider)
    {
        using var host = new PortalHost(database: provider);
        using var client = host.CreateManagementClient();
        var before = await ReadyAsync(client);
        Assert.Equal(HttpStatusCode.OK, before.Status);

        await host.StopDatabaseAsync();
        var stopped = await ReadyUntilAsync(client, HttpStatusCode.ServiceUnavailable);

        Assert.Equal("Unhealthy", stopped.Json.RootElement.GetProperty("status").GetString());
        var database = stopped.Json.RootElement.GetProperty("checks").GetProperty("database");
        Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
        Assert.Equal("the database does not answer", database.GetProperty("description").GetString());
        Assert.Equal("Healthy", stopped.Json.RootElement.GetProperty("checks").GetProperty("keyStore").GetProperty("status").GetString());
        foreach (var secret in new[] { host.DataDirectory, "ttp.db", "Data Source", "Host=", "127.0.0.1", "ttp_portal_test", "Exception" })
        {
            Assert.DoesNotContain(secret, stopped.Body, StringComparison.OrdinalIgnoreCase);
        }

        using (var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        await host.StartDatabaseAsync();
        var started = await ReadyUntilAsync(client, HttpStatusCode.OK);

        Assert.Equal("Healthy", started.Json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_LmkFileMovedAwayThenBack_KeyStoreUnhealthyThenHealthy()
    {
        using var host = new PortalHost();
        using var client = host.CreateManagementClient();
        var lmk = Path.Combine(host.DataDirectory, "lmk.key");
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(client)).Status);

        File.Move(lmk, lmk + ".away");
        var away = await ReadyUntilAsync(client, HttpStatusCode.ServiceUnavailable);

        var keyStore = away.Json.RootElement.GetProperty("checks").GetProperty("keyStore");
        Assert.Equal("Unhealthy", keyStore.GetProperty("status").GetString());
        Assert.Equal("the LMK cannot be used", keyStore.GetProperty("description").GetString());
        Assert.Equal("Healthy", away.Json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.DoesNotContain(host.DataDirectory, away.Body, StringComparison.Ordinal);

        File.Move(lmk + ".away", lmk);
        var back = await ReadyUntilAsync(client, HttpStatusCode.OK);

        Assert.Equal("Healthy", back.Json.RootElement.GetProperty("checks").GetProperty("keyStore").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_AuditQueueAtItsBound_AuditWriterUnhealthyUntilItDrains()
    {
        // Capacity 10, bound 20 %: two records waiting make the server unready.
        using var host = new PortalHost(new Dictionary<string, string>
        {
            ["Ttp:Audit:QueueCapacity"] = "10",
            ["Ttp:Management:AuditQueueLimitPercent"] = "20",
        });
        using var certificate = TestClientCertificates.Create("acme");
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        await host.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"));
        await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11,
            Convert.FromHexString("404142434445464748494A4B4C4D4E4F"));
        using var client = host.CreateManagementClient();
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(client)).Status);

        // Another writer holds SQLite's write lock: the audit writer's first batch waits, the next records queue.
        Reply full;
        var requests = new List<Task<SoapReply>>();
        await using (var holder = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "ttp.db")};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }

            requests.Add(RequestAsync(0));
            await Task.Delay(500);
            requests.AddRange(Enumerable.Range(1, 3).Select(RequestAsync));
            full = await ReadyUntilAsync(client, HttpStatusCode.ServiceUnavailable);

            await using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        var writer = full.Json.RootElement.GetProperty("checks").GetProperty("auditWriter");
        Assert.Equal("Unhealthy", writer.GetProperty("status").GetString());
        Assert.Equal("the audit writer's queue is over its bound", writer.GetProperty("description").GetString());
        Assert.True(writer.GetProperty("queueDepth").GetDouble() >= 2, full.Body);
        Assert.Equal(10, writer.GetProperty("queueCapacity").GetDouble());
        Assert.All(await Task.WhenAll(requests), reply => Assert.Equal(3, reply.Keys.Count));
        Assert.Equal(HttpStatusCode.OK, (await ReadyUntilAsync(client, HttpStatusCode.OK)).Status);

        Task<SoapReply> RequestAsync(int n) => Task.Run(async () =>
        {
            using var soap = host.CreateSoapClient(certificate);
            return await SoapWire.PostAsync(soap, SoapWire.Request(kdd: $"{n:X4}0203040506070809"));
        });
    }

    private static async Task<Reply> ReadyUntilAsync(HttpClient client, HttpStatusCode wanted)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var reply = await ReadyAsync(client);
            if (reply.Status == wanted || waited.Elapsed > Patience)
            {
                Assert.True(reply.Status == wanted, $"/health/ready still {(int)reply.Status} after {Patience}: {reply.Body}");
                return reply;
            }

            reply.Json.Dispose();
            await Task.Delay(200);
        }
    }

    private static async Task<Reply> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, body, JsonDocument.Parse(body));
    }

    private sealed record Reply(HttpStatusCode Status, string Body, JsonDocument Json);
}
