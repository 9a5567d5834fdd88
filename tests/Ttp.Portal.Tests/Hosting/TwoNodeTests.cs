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
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;
using Xunit.Abstractions;

namespace Ttp.Portal.Tests.Hosting;

/// <summary>
/// Two portal nodes on one PostgreSQL database (issue 14, OPERATIONS.md "Several nodes"). Each node is a host of its own
/// (<see cref="PortalHost.NextNode"/>): its own services and DI container, Kestrel ports, data directory, key-request
/// directory, handshake pins, rate-limit buckets, audit writer and anchor; they share the database and the LMK, as two
/// processes would. They run in one test process, which is the only thing they share beyond that (and the process-wide
/// Meter, which these tests do not read). A sign-in on node A is accepted by node B; a TSM suspended on A is refused by B
/// within 5 s; 16 clients over both nodes for 10 s leave one audit chain that verifies, with each node's checkpoints;
/// a TSM's rate limit (<c>Ttp:Soap:RateLimit:Nodes</c> = 2) holds across both within 10 %.
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
        using var b = PortalHost.NextNode(a);
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
        using var b = PortalHost.NextNode(a);
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
        Assert.True(keptRefused, "a kept-alive connection to node B was still served 5 s after the suspension on node A");
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
        using var b = PortalHost.NextNode(a, Unlimited);
        PortalHost[] nodes = [a, b];
        var delivered = new ConcurrentBag<string>();
        var perNode = new int[2];
        var failures = new ConcurrentBag<string>();
        // A node that has just started refuses the certificate in the handshake until its first load of the pins: the
        // load starts when clients are sent to it, as a load balancer does once the node is up.
        foreach (var node in nodes)
        {
            await WaitUntilServedAsync(node, certificate);
        }

        var warmUp = (await SoapWire.KeyRequestRecordsAsync(a, "acme")).Count;
        var clock = Stopwatch.StartNew();

        var workers = Enumerable.Range(0, 16).Select(n => Task.Run(async () =>
        {
            using var client = nodes[n % 2].CreateSoapClient(certificate);
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

        // One chain: every record of both nodes in one sequence that verifies, and each node's checkpoints agree with it.
        var factory = a.Services.GetRequiredService<IDbContextFactory<TtpDbContext>>();
        var key = await a.Services.GetRequiredService<AuditKeyHolder>().GetAsync();
        var chain = await AuditVerifier.VerifyAsync(factory, key);
        Assert.True(chain.IsValid, chain.Problem);
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Equal(await db.AuditEvents.LongCountAsync(), chain.RecordCount);
        }

        foreach (var node in nodes)
        {
            await node.Services.GetRequiredService<AuditAnchor>().FlushAsync();
            var signing = await node.Services.GetRequiredService<AuditSigningKeyHolder>().GetAsync();
            var anchored = await AuditVerifier.VerifyAsync(
                node.Services.GetRequiredService<IDbContextFactory<TtpDbContext>>(),
                await node.Services.GetRequiredService<AuditKeyHolder>().GetAsync(),
                node.Services.GetRequiredService<AuditCheckpointFile>(),
                signing.PublicKey);
            Assert.True(anchored.IsValid, anchored.Problem);
        }
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
        using var b = PortalHost.NextNode(a, limited);
        PortalHost[] nodes = [a, b];
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
        var workers = Enumerable.Range(0, 16).Select(n => Task.Run(async () =>
        {
            using var client = nodes[n % 2].CreateSoapClient(certificate);
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
        var elapsed = clock.Elapsed.TotalSeconds;

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

    private static async Task WaitUntilServedAsync(PortalHost node, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var client = node.CreateSoapClient(certificate);
                var reply = await SoapWire.PostAsync(client, SoapWire.Request());
                if (reply.Status == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                // the node's pins are not loaded yet
            }

            Assert.True(attempt < 50, "the node did not serve the TSM within 10 s of starting");
            await Task.Delay(200);
        }
    }
}
