using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Ttp.Domain.KeyRequests;

namespace Ttp.Domain.Tests.KeyRequests;

/// <summary>
/// <c>Ttp:Soap:RateLimit:Nodes</c>: each node's bucket holds its share of the burst and refills at its share of the rate,
/// so that two nodes together grant what one node alone grants (OPERATIONS.md "Several nodes").
/// </summary>
public sealed class TsmRateLimiterNodeShareTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void TryAcquire_NodesSharingTheLimit_GrantTogetherWhatOneNodeGrants(int nodes)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var tsm = Guid.NewGuid();
        var granted = 0;
        var nodeLimiters = Enumerable.Range(0, nodes).Select(_ => Limiter(clock, nodes)).ToList();
        for (var step = 0; step < 1000; step++)
        {
            // 100 requests/s offered in total (10 ms per step), round robin over the nodes.
            if (nodeLimiters[step % nodes].TryAcquire(tsm, null))
            {
                granted++;
            }

            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        // Burst 20 + 10 s x 5/s = 70 for the service, whatever the number of nodes (one node's rounding at most).
        Assert.InRange(granted, 70 - nodes, 70 + nodes);
    }

    [Fact]
    public void TryAcquire_TsmOwnRateAndTwoNodes_EachNodeGrantsHalf()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var node = Limiter(clock, nodes: 2);
        var tsm = Guid.NewGuid();
        var granted = 0;
        for (var step = 0; step < 1000; step++)
        {
            granted += node.TryAcquire(tsm, permitsPerSecond: 8) ? 1 : 0;
            clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        // Half the burst (10) and half the TSM's 8/s over 10 s (40).
        Assert.InRange(granted, 49, 51);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Validate_NodesOutOfRange_NamesTheKey(int nodes)
    {
        var options = new KeyRequestOptions { RateLimit = { Nodes = nodes } };

        Assert.Contains("Ttp:Soap:RateLimit:Nodes", options.Validate(), StringComparison.Ordinal);
    }

    private static TsmRateLimiter Limiter(TimeProvider clock, int nodes) =>
        new(Options.Create(new KeyRequestOptions { RateLimit = { PermitsPerSecond = 5, Burst = 20, Nodes = nodes } }), clock);
}
