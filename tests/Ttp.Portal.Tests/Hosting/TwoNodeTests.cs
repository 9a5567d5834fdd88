using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;
using Xunit.Abstractions;

namespace Ttp.Portal.Tests.Hosting;

/// <summary>
/// Two portal nodes on one PostgreSQL database (issue 14, OPERATIONS.md "Several nodes"), in two processes: node A is a
/// <see cref="PortalHost"/> in the test's process (the tests make their changes through its services), node B the built
/// portal in a process of its own (<see cref="PortalNodeProcess"/>), started from the same LMK file and a copy of A's
/// markers and anchors, as a node is provisioned. They share the database and nothing else. A sign-in on node A is
/// accepted by node B; a TSM suspended on A is refused by B within 5 s; 16 clients over both nodes for 10 s leave one audit
/// chain that <c>ttpctl audit verify</c> verifies with either node's anchors; a TSM's rate limit
/// (<c>Ttp:Soap:RateLimit:Nodes</c> = 2) holds across both within 10 %. Each node is sent TSMs as soon as its
/// <c>/health/ready</c> answers, as a load balancer does, and must serve them at once.
/// </summary>
public sealed class TwoNodeTests(ITestOutputHelper output)
{
    private const string Email = "operator@ttp.test";

    private static readonly Dictionary<string, string> Unlimited = new()
    {
        ["Ttp:Soap:RateLimit:PermitsPerSecond"] = "1000000",
        ["Ttp:Soap:RateLimit:Burst"] = "1000000",
    };

    [Fact]
    public async Task SignIn_OnNodeA_AcceptedByNodeB()
    {
        using var a = new PortalHost(database: DatabaseProvider.Postgres);
        await a.SeedStaffAsync(Email, [StaffRoles.Operator], TestTotp.Key);
        await using var b = await PortalNodeProcess.StartAsync(a);
        using var browserB = b.CreateBrowser();
        // Node B has served a page (and loaded its key ring) before node A signs anyone in.
        Assert.Equal(HttpStatusCode.OK, (await browserB.GetPageAsync("/account/login")).Status);
        using var browserA = a.CreateBrowser();
        Assert.Equal("/", (await PortalHost.SignInAsync(browserA, Email, TestTotp.Key)).Path);

        using var signedInOnB = b.CreateBrowser();
        signedInOnB.Cookies.Add(browserA.Cookies.GetAllCookies());
        var page = await signedInOnB.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("/", page.Path);
        Assert.Contains(Email, page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuspendTsm_OnNodeA_RefusedByNodeBWithinFiveSeconds()
    {
        using var a = new PortalHost(database: DatabaseProvider.Postgres);
        using var certificate = TestClientCertificates.Create("acme");
        await ProvisionAsync(a, certificate);
        await using var b = await PortalNodeProcess.StartAsync(a);
        using (var before = b.CreateSoapClient(certificate))
        {
            var served = await SoapWire.PostAsync(before, SoapWire.Request());
            Assert.False(served.IsFault, served.Body);
        }

        using var keptAlive = b.CreateSoapClient(certificate);
        Assert.False((await SoapWire.PostAsync(keptAlive, SoapWire.Request())).IsFault);
        await a.Services.GetRequiredService<TsmService>().SuspendAsync("acme", "two-node test", Actor.Staff("ops@ttp.test"));
        var suspendedAt = Stopwatch.StartNew();

        // Both a connection kept open and new connections (new handshakes) to node B, until both are refused.
        var keptRefused = false;
        var newRefused = false;
        while (!(keptRefused && newRefused) && suspendedAt.Elapsed < TimeSpan.FromSeconds(5))
        {
            keptRefused |= await RefusedAsync(keptAlive);
            using var fresh = b.CreateSoapClient(certificate);
            newRefused |= await RefusedAsync(fresh);
            await Task.Delay(100);
        }

        output.WriteLine($"refused by node B {suspendedAt.ElapsedMilliseconds} ms after the suspension on node A");
        Assert.True(keptRefused, "a kept-alive connection to node B was still served 5 s after the suspension on node A: " + b.Output);
        Assert.True(newRefused, "a new connection to node B was still served 5 s after the suspension on node A");
        // And it stays refused.
        using var later = b.CreateSoapClient(certificate);
        Assert.True(await RefusedAsync(later));
    }

    [Fact]
    public async Task SixteenClients_OverBothNodesTenSeconds_OneChainVerifies()
    {
        using var a = new PortalHost(Unlimited, DatabaseProvider.Postgres);
        using var certificate = TestClientCertificates.Create("acme");
        await ProvisionAsync(a, certificate);
        await using var b = await PortalNodeProcess.StartAsync(a, Unlimited);
        Uri[] nodes = [a.SoapAddress, b.SoapAddress];
        var delivered = new ConcurrentBag<string>();
        var perNode = new int[2];
        var failures = new ConcurrentBag<string>();
        // Each node serves the TSM on its first request once ready (node B has just started: its pins are loaded).
        foreach (var node in nodes)
        {
            using var first = PortalHost.CreateSoapClient(node, certificate);
            var reply = await SoapWire.PostAsync(first, SoapWire.Request());
            Assert.False(reply.IsFault || reply.Status != HttpStatusCode.OK, $"{node}: {reply.Status} {reply.Body}");
        }

        var warmUp = (await SoapWire.KeyRequestRecordsAsync(a, "acme")).Count;
        var clock = Stopwatch.StartNew();

        var workers = Enumerable.Range(0, 16).Select(n => Task.Run(async () =>
        {
            using var client = PortalHost.CreateSoapClient(nodes[n % 2], certificate);
            var i = 0;
            while (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                var reply = await SoapWire.PostAsync(client, SoapWire.Request(kdd: $"{n:X4}{i++:X8}0708090A"));
                if (reply.Status == HttpStatusCode.OK && !reply.IsFault && reply.Keys.Count == 3 && reply.RequestId is { } id)
                {
                    delivered.Add(id);
                    Interlocked.Increment(ref perNode[n % 2]);
                }
                else
                {
                    failures.Add($"{reply.Status}: {reply.Body}");
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        output.WriteLine($"{delivered.Count} keys answered in 10 s: {perNode[0]} by node A, {perNode[1]} by node B; {failures.Count} failures");
        Assert.Empty(failures);
        Assert.True(perNode[0] > 16 && perNode[1] > 16, $"node A answered {perNode[0]}, node B {perNode[1]}");
        var records = await SoapWire.KeyRequestRecordsAsync(a, "acme");
        Assert.Equal(warmUp + delivered.Count, records.Count);
        Assert.Equal(delivered.Count, delivered.Distinct().Count());

        // One chain: every record of both nodes in one sequence, which ttpctl verifies with either node's anchors (node A's
        // flushed, node B's written as it stops), each holding checkpoints of its own past the ones it was provisioned with.
        await a.Services.GetRequiredService<AuditAnchor>().FlushAsync();
        var provisioned = CheckpointLines(b.DataDirectory);
        await b.StopAsync();
        long stored;
        await using (var db = await a.Services.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContextAsync())
        {
            stored = await db.AuditEvents.LongCountAsync();
        }

        var nodeA = new Dictionary<string, string>(b.Environment) { ["Ttp__DataDirectory"] = a.DataDirectory };
        foreach (var (name, environment) in new[] { ("A", (IReadOnlyDictionary<string, string>)nodeA), ("B", b.Environment) })
        {
            var verify = await PortalNodeProcess.RunTtpctlAsync(environment, "audit", "verify");
            output.WriteLine($"ttpctl audit verify with node {name}'s anchors: {verify.Stdout.Trim()}");
            Assert.True(verify.Exit == 0, $"node {name}: exit {verify.Exit}: {verify.Stdout} {verify.Stderr}");
            var result = JsonDocument.Parse(verify.Stdout).RootElement;
            Assert.True(result.GetProperty("is_valid").GetBoolean());
            // Every record up to the last one (a background job, e.g. an alert about the burst, may have added some since).
            Assert.Equal(result.GetProperty("last_sequence").GetInt64(), result.GetProperty("record_count").GetInt64());
            Assert.True(result.GetProperty("record_count").GetInt64() >= stored, $"{stored} records stored, fewer verified");
        }

        Assert.True(CheckpointLines(b.DataDirectory) > provisioned, "node B wrote no checkpoint of its own");
    }

    [Fact]
    public async Task RateLimit_TsmOverBothNodes_HoldsWithinTenPercent()
    {
        // 20 requests/s and a burst of 20 for the service: each of the two nodes holds half.
        var limited = new Dictionary<string, string>
        {
            ["Ttp:Soap:RateLimit:PermitsPerSecond"] = "20",
            ["Ttp:Soap:RateLimit:Burst"] = "20",
            ["Ttp:Soap:RateLimit:Nodes"] = "2",
        };
        using var a = new PortalHost(limited, DatabaseProvider.Postgres);
        using var certificate = TestClientCertificates.Create("acme");
        await ProvisionAsync(a, certificate);
        await using var b = await PortalNodeProcess.StartAsync(a, limited);
        Uri[] nodes = [a.SoapAddress, b.SoapAddress];
        var granted = 0;
        var limitedReplies = 0;
        var failures = new ConcurrentBag<string>();
        var duration = TimeSpan.FromSeconds(6);

        // 8 clients per node, as fast as they can: far more than the limit, spread evenly by the "load balancer". Each
        // connects first (a WSDL request: the handshake without a key request) and all start together, so that the
        // measured time is the time the clients pressed against the limit.
        var connected = 0;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        var lastSent = new TimeSpan[16];
        var workers = Enumerable.Range(0, 16).Select(n => Task.Run(async () =>
        {
            using var client = PortalHost.CreateSoapClient(nodes[n % 2], certificate);
            using (var wsdl = await client.GetAsync(new Uri(SoapWire.Path + "?wsdl", UriKind.Relative)))
            {
                wsdl.EnsureSuccessStatusCode();
            }

            if (Interlocked.Increment(ref connected) == 16)
            {
                clock.Start();
                go.SetResult();
            }

            await go.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var i = 0;
            while (clock.Elapsed < duration)
            {
                lastSent[n] = clock.Elapsed;
                var reply = await SoapWire.PostAsync(client, SoapWire.Request(kdd: $"{n:X4}{i++:X8}0708090A"));
                if (!reply.IsFault && reply.Keys.Count == 3)
                {
                    Interlocked.Increment(ref granted);
                }
                else if (reply.FaultCode == "RateLimited")
                {
                    Interlocked.Increment(ref limitedReplies);
                }
                else
                {
                    failures.Add($"{reply.Status}: {reply.Body}");
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        // The clients pressed until the last request was sent; tokens that accrue while the last replies come back are
        // used by no one, so they are not counted as allowed.
        var elapsed = lastSent.Max().TotalSeconds;
        var expected = 20 + (20 * elapsed);
        output.WriteLine($"{granted} granted and {limitedReplies} refused in {elapsed:F2} s over two nodes; the service limit allows {expected:F0}");
        Assert.Empty(failures);
        Assert.True(limitedReplies > granted, "the clients did not press against the limit");
        Assert.InRange(granted, expected * 0.9, expected * 1.1);
    }

    private static async Task ProvisionAsync(PortalHost host, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        await host.RegisterTsmAsync("acme", certificate, "A0000001");
        await host.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.GpEncrypted, Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"));
        await host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11,
            Convert.FromHexString("404142434445464748494A4B4C4D4E4F"));
    }

    /// <summary>Whether node B refuses the request: a fault that is not an answer, or a handshake that fails.</summary>
    private static async Task<bool> RefusedAsync(HttpClient client)
    {
        try
        {
            var reply = await SoapWire.PostAsync(client, SoapWire.Request());
            return reply.IsFault && reply.FaultCode == "NotAccredited";
        }
        catch (HttpRequestException)
        {
            return true;
        }
    }

    private static int CheckpointLines(string dataDirectory) =>
        File.ReadLines(Path.Combine(dataDirectory, "anchors", "checkpoints.jsonl")).Count(line => line.Length > 0);
}
