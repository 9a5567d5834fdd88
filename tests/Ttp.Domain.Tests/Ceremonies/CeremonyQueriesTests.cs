using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;

namespace Ttp.Domain.Tests.Ceremonies;

/// <summary>The ceremonies' read side (ttpctl ceremony list): in progress by default, every one on request, who entered what.</summary>
public sealed class CeremonyQueriesTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task List_OneInProgressOneAborted_InProgressByDefaultBothWithAll(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        var (first, _) = CeremonyEnvironment.Split(KeyRequestTestData.Master16);
        var running = await env.OpenAsync(kvn: 1);
        await env.EnterAsync(running.Id, first, CeremonyEnvironment.Custodian1);
        var aborted = await env.OpenAsync(kvn: 2);
        await env.Ceremonies.AbortAsync(aborted.Id, "opened by mistake", CeremonyEnvironment.Officer);
        var queries = env.Inner.Services.GetRequiredService<CeremonyQueries>();

        var inProgress = await queries.ListAsync();
        var every = await queries.ListAsync(includeClosed: true);

        var listed = Assert.Single(inProgress);
        Assert.Equal(running.Id, listed.Id);
        Assert.Equal(CeremonyState.CollectingComponents, listed.State);
        Assert.Equal((1, 2), (listed.ComponentsReceived, listed.ComponentsExpected));
        Assert.Equal([CeremonyEnvironment.Custodian1.Id], listed.EnteredBy);
        Assert.Equal(CeremonyEnvironment.Officer.Id, listed.OpenedBy);
        Assert.Equal(
            [(aborted.Id, CeremonyState.Aborted), (running.Id, CeremonyState.CollectingComponents)],
            every.Select(c => (c.Id, c.State)).OrderBy(c => c.Id == running.Id));
        Assert.Empty(every.Single(c => c.Id == aborted.Id).EnteredBy);
    }
}
