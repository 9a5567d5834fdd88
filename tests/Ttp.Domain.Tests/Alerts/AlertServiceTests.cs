using Ttp.Domain.Alerts;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;

namespace Ttp.Domain.Tests.Alerts;

public sealed class AlertServiceTests
{
    private static async Task<AuditAlert> RaiseAsync(AlertEnvironment env)
    {
        await env.RequestAsync("acme", "00000000000000000001", AlertEnvironment.Now.AddMinutes(-1));
        await env.RequestAsync("globex", "00000000000000000001", AlertEnvironment.Now);
        await env.Scanner.ScanAsync();
        return Assert.Single(await env.AllAlertsAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AcknowledgeAsync_Auditor_AcknowledgesAndAudits(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        var alert = await RaiseAsync(env);
        Assert.Equal(1, await env.Alerts.OpenCountAsync());

        var acknowledged = await env.Alerts.AcknowledgeAsync(alert.Id, AlertEnvironment.Auditor, "  card moved from acme to globex  ");

        Assert.Equal((AlertState.Acknowledged, AlertEnvironment.Auditor.Id, "card moved from acme to globex"),
            (acknowledged.State, acknowledged.AcknowledgedBy, acknowledged.Note));
        Assert.NotNull(acknowledged.AcknowledgedAt);
        Assert.Equal(0, await env.Alerts.OpenCountAsync());
        Assert.Empty(await env.Alerts.ListAsync());
        Assert.Single(await env.Alerts.ListAsync(includeAcknowledged: true));
        var record = Assert.Single(await env.RecordsAsync(AlertService.AcknowledgedAction));
        Assert.Equal((AlertEnvironment.Auditor.Id, AlertService.SubjectOf(alert.Id)), (record.Actor, record.Subject));
        Assert.Contains("card moved from acme to globex", record.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AcknowledgeAsync_SecurityOfficerWithoutNote_Acknowledges(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        var alert = await RaiseAsync(env);

        var acknowledged = await env.Alerts.AcknowledgeAsync(alert.Id, AlertEnvironment.Officer, "   ");

        Assert.Equal((AlertState.Acknowledged, null), (acknowledged.State, acknowledged.Note));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AcknowledgeAsync_OperatorOrSystemOrTwice_RefusedAndNotAudited(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        var alert = await RaiseAsync(env);

        await Assert.ThrowsAsync<RuleViolationException>(() => env.Alerts.AcknowledgeAsync(alert.Id, KeyRequestEnvironment.Registrar, null));
        await Assert.ThrowsAsync<RuleViolationException>(() => env.Alerts.AcknowledgeAsync(alert.Id, Actor.System, null));
        Assert.Empty(await env.RecordsAsync(AlertService.AcknowledgedAction));
        await env.Alerts.AcknowledgeAsync(alert.Id, AlertEnvironment.Auditor, null);
        var twice = await Assert.ThrowsAsync<RuleViolationException>(() => env.Alerts.AcknowledgeAsync(alert.Id, AlertEnvironment.Officer, null));

        Assert.Contains("already acknowledged", twice.Message, StringComparison.Ordinal);
        Assert.Single(await env.RecordsAsync(AlertService.AcknowledgedAction));
        Assert.Equal(AlertEnvironment.Auditor.Id, Assert.Single(await env.AllAlertsAsync()).AcknowledgedBy);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AcknowledgeAsync_BadNoteOrUnknownAlert_NamesTheProblem(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        var alert = await RaiseAsync(env);

        var tooLong = await Assert.ThrowsAsync<DomainInputException>(() => env.Alerts.AcknowledgeAsync(alert.Id, AlertEnvironment.Auditor, new string('x', 501)));
        var twoLines = await Assert.ThrowsAsync<DomainInputException>(() => env.Alerts.AcknowledgeAsync(alert.Id, AlertEnvironment.Auditor, "a\nb"));
        await Assert.ThrowsAsync<NotFoundException>(() => env.Alerts.AcknowledgeAsync(Guid.NewGuid(), AlertEnvironment.Auditor, null));

        Assert.StartsWith("note:", tooLong.Message, StringComparison.Ordinal);
        Assert.StartsWith("note:", twoLines.Message, StringComparison.Ordinal);
        Assert.Equal(AlertState.Open, Assert.Single(await env.AllAlertsAsync()).State);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ListAsync_SeveralAlerts_OpenFirstLatestFirstAcknowledgedOnRequest(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        var now = AlertEnvironment.Now;
        foreach (var (kdd, minutes) in new[] { ("00000000000000000001", -30), ("00000000000000000002", -10), ("00000000000000000003", -20) })
        {
            await env.RequestAsync("acme", kdd, now.AddMinutes(minutes - 1));
            await env.RequestAsync("globex", kdd, now.AddMinutes(minutes));
        }

        await env.Scanner.ScanAsync();
        var newest = (await env.Alerts.ListAsync())[0];
        await env.Alerts.AcknowledgeAsync(newest.Id, AlertEnvironment.Auditor, null);

        var open = await env.Alerts.ListAsync();
        var all = await env.Alerts.ListAsync(includeAcknowledged: true);

        Assert.Equal(now.AddMinutes(-10), newest.LastSeen);
        Assert.Equal([now.AddMinutes(-20), now.AddMinutes(-30)], open.Select(a => a.LastSeen));
        Assert.Equal([now.AddMinutes(-20), now.AddMinutes(-30), now.AddMinutes(-10)], all.Select(a => a.LastSeen));
        Assert.Equal(AlertState.Acknowledged, all[2].State);
        Assert.Single(await env.Alerts.ListAsync(limit: 1));
        await Assert.ThrowsAsync<DomainInputException>(() => env.Alerts.ListAsync(limit: 0));
    }
}
