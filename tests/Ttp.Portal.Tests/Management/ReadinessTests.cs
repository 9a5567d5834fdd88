using System.Net;
using System.Text.Json;
using Ttp.Domain.Data;

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

    private static async Task<Reply> ReadyUntilAsync(HttpClient client, HttpStatusCode wanted)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var reply = await ReadyAsync(client);
            if (reply.Status == wanted || DateTime.UtcNow > deadline)
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
