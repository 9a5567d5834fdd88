using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Alerts;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Alerts;

public sealed class AlertScannerTests
{
    private const string CardX = "00000000000000000001";
    private const string CardY = "00000000000000000002";
    private static readonly DateTimeOffset Now = AlertEnvironment.Now;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ScanAsync_CardAnsweredToTwoTsms_RaisesOneAuditedAlert(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        var first = await env.RequestAsync("acme", CardX, Now.AddDays(-2));
        var second = await env.RequestAsync("globex", CardX, Now);

        var result = await env.Scanner.ScanAsync();

        var alert = Assert.Single(await env.AllAlertsAsync());
        Assert.Equal((AlertKind.SameCardTwoTsms, AlertState.Open, $"card:A0000001/{CardX}"), (alert.Kind, alert.State, alert.Subject));
        Assert.Contains("acme, globex", alert.Summary, StringComparison.Ordinal);
        Assert.Equal([first, second], alert.SequenceList);
        Assert.Equal((Now.AddDays(-2), Now, 2L), (alert.FirstSeen, alert.LastSeen, alert.Count));
        Assert.Equal(1, result.Raised);
        var raised = Assert.Single(await env.RecordsAsync(AlertScanner.RaisedAction));
        Assert.Equal(("system", AlertService.SubjectOf(alert.Id)), (raised.Actor, raised.Subject));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ScanAsync_CardAnsweredToOneTsmOrRefusedToAnother_RaisesNothing(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        await env.RequestAsync("acme", CardX, Now.AddHours(-1));
        await env.RequestAsync("acme", CardX, Now);
        await env.RequestAsync("globex", CardX, Now, "ScopeDenied");
        await env.RequestAsync("globex", CardX, Now, iin: "A0000002");

        var result = await env.Scanner.ScanAsync();

        Assert.Empty(await env.AllAlertsAsync());
        Assert.Equal((0, await env.HeadAsync()), (result.Raised, result.Through));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ScanAsync_ConditionFoundAgain_CountsOnTheOpenAlert(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        await env.RequestAsync("acme", CardX, Now.AddMinutes(-5));
        await env.RequestAsync("globex", CardX, Now.AddMinutes(-4));
        await env.Scanner.ScanAsync();
        var later = await env.RequestAsync("acme", CardX, Now);

        var result = await env.Scanner.ScanAsync();

        var alert = Assert.Single(await env.AllAlertsAsync());
        Assert.Equal((3L, Now, AlertState.Open), (alert.Count, alert.LastSeen, alert.State));
        Assert.Contains(later, alert.SequenceList);
        Assert.Equal((0, 1), (result.Raised, result.Recurred));
        Assert.Single(await env.RecordsAsync(AlertScanner.RaisedAction));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ScanAsync_RateFarAboveItsUsual_RaisesRateAlertOnlyForThatTsm(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        // acme: 1 an hour for 7 days, then 12 in the last hour (above 5 x ~1 and the minimum 10).
        await env.RequestsAsync("acme", 168, Now.AddHours(-1).AddMinutes(-31), TimeSpan.FromHours(1));
        await env.RequestsAsync("acme", 12, Now, TimeSpan.FromMinutes(4));
        // globex: 3 an hour, then 12 (under 5 x 3); initech: new, 9 in the hour (under the minimum).
        await env.RequestsAsync("globex", 504, Now.AddHours(-1).AddMinutes(-31), TimeSpan.FromMinutes(20));
        await env.RequestsAsync("globex", 12, Now, TimeSpan.FromMinutes(4));
        await env.RequestsAsync("initech", 9, Now, TimeSpan.FromMinutes(4));

        await env.Scanner.ScanAsync();

        var alert = Assert.Single(await env.AllAlertsAsync());
        Assert.Equal((AlertKind.RequestRate, "tsm:acme", Now), (alert.Kind, alert.Subject, alert.LastSeen));
        Assert.Contains("12 key requests", alert.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ScanAsync_RepeatedFaults_RaisesOnlyAtTheCountWithinTheWindow(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        await env.RequestsAsync("acme", 5, Now, TimeSpan.FromMinutes(2), "UnknownKek");
        await env.RequestsAsync("globex", 4, Now, TimeSpan.FromMinutes(2), "UnknownKek");
        await env.RequestsAsync("initech", 5, Now, TimeSpan.FromMinutes(6), "UnknownKek");
        await env.RequestsAsync("umbrella", 3, Now, TimeSpan.FromMinutes(1), "UnknownKek");
        await env.RequestsAsync("umbrella", 3, Now, TimeSpan.FromMinutes(1), "ScopeDenied");

        await env.Scanner.ScanAsync();

        var alert = Assert.Single(await env.AllAlertsAsync());
        Assert.Equal((AlertKind.RepeatedFaults, "tsm:acme", 5L), (alert.Kind, alert.Subject, alert.Count));
        Assert.Contains("UnknownKek", alert.Summary, StringComparison.Ordinal);
        Assert.Equal(5, alert.SequenceList.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ScanAsync_IntegrityAlarmAndFailedVerification_RaiseIntegrityAlerts(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        var alarm = env.Inner.Services.GetRequiredService<IntegrityAlarm>();
        await alarm.StoredKeyDamagedAsync("issuer key set IIN A0000001 KVN 1", "D1", "the envelope does not open", CancellationToken.None);
        await env.Writer.AppendAsync(Ttp.Domain.Audit.AuditRecord.StaffAction(
            "audit.verification-finished", Actor.System, "audit", new { Problem = "record 7 does not match its hash" }, "broken"));
        await env.Writer.AppendAsync(Ttp.Domain.Audit.AuditRecord.StaffAction("audit.verification-finished", Actor.System, "audit", new { Records = 9 }));

        await env.Scanner.ScanAsync();

        var alerts = await env.AllAlertsAsync();
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.Equal(AlertKind.IntegrityFailure, a.Kind));
        Assert.Contains(alerts, a => a.Subject == "issuer key set IIN A0000001 KVN 1" && a.Summary.Contains("envelope does not open", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.Summary.Contains("verification of the audit chain failed", StringComparison.Ordinal)
            && a.Summary.Contains("record 7", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ScanAsync_AcknowledgedConditionRecurs_OpensANewAlert(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        await env.RequestsAsync("acme", 5, Now.AddMinutes(-3), TimeSpan.FromSeconds(10), "UnknownKek");
        await env.Scanner.ScanAsync();
        var first = Assert.Single(await env.AllAlertsAsync());
        await env.Alerts.AcknowledgeAsync(first.Id, AlertEnvironment.Auditor, "KEK rotation at acme");

        // Faults before the acknowledgement no longer count: one more is not enough, five more are.
        await env.RequestAsync("acme", CardX, Now.AddMinutes(-2), "UnknownKek");
        await env.Scanner.ScanAsync();
        Assert.Single(await env.AllAlertsAsync());
        await env.RequestsAsync("acme", 5, DateTimeOffset.UtcNow.AddMinutes(5), TimeSpan.FromSeconds(10), "UnknownKek");
        await env.Scanner.ScanAsync();

        var alerts = await env.AllAlertsAsync();
        Assert.Equal(2, alerts.Count);
        Assert.Equal(AlertState.Acknowledged, alerts.Single(a => a.Id == first.Id).State);
        var second = alerts.Single(a => a.Id != first.Id);
        Assert.Equal((AlertState.Open, first.DedupeKey, 5L), (second.State, second.DedupeKey, second.Count));
        Assert.Equal(2, (await env.RecordsAsync(AlertScanner.RaisedAction)).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ScanAsync_AfterAPass_ResumesAtTheWatermark(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider, batchSize: 100);
        await env.RequestsAsync("acme", 150, Now, TimeSpan.FromMinutes(30));
        var head = await env.HeadAsync();
        var start = await env.WatermarkAsync();

        var pass = await env.Scanner.ScanAsync();

        Assert.Equal((start + 100, start + 100), (pass.Through, await env.WatermarkAsync()));
        await env.Scanner.ScanToHeadAsync();
        Assert.Equal(head, await env.WatermarkAsync());

        // Another process resumes at the stored watermark: the faults below are read once, counted once.
        await env.RequestsAsync("globex", 5, Now, TimeSpan.FromSeconds(1), "UnknownKek");
        await using var other = env.Inner.NewProcess();
        await DomainInitializer.InitializeAsync(other);
        var result = await other.GetRequiredService<AlertScanner>().ScanToHeadAsync();
        await env.Scanner.ScanToHeadAsync();

        var alert = Assert.Single(await env.AllAlertsAsync());
        Assert.Equal((1, 5L), (result.Raised, alert.Count));
        Assert.Equal(await env.HeadAsync(), await env.WatermarkAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ScanAsync_NewRecordAlteredInSql_NoFalseAlertButAnIntegrityAlert(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        await env.RequestAsync("acme", CardX, Now.AddMinutes(-1));
        var altered = await env.RequestAsync("globex", CardY, Now);
        var garbled = await env.RequestAsync("initech", CardY, Now);
        await env.Inner.ExecuteRawAsync($"UPDATE audit_events SET details = replace(details, '{CardY}', '{CardX}') WHERE sequence = {altered}");
        await env.Inner.ExecuteRawAsync($"UPDATE audit_events SET details = 'not json' WHERE sequence = {garbled}");

        await env.Scanner.ScanAsync();

        var alerts = await env.AllAlertsAsync();
        Assert.DoesNotContain(alerts, a => a.Kind == AlertKind.SameCardTwoTsms);
        Assert.Equal(["audit:" + altered, "audit:" + garbled], alerts.Select(a => a.Subject).Order());
        Assert.All(alerts, a => Assert.Equal(AlertKind.IntegrityFailure, a.Kind));
        Assert.Equal(await env.HeadAsync() - 2, await env.WatermarkAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ScanAsync_EarlierRecordAlteredInSql_NoFalseAlertButAnIntegrityAlert(DatabaseProvider provider)
    {
        await using var env = await AlertEnvironment.CreateAsync(provider);
        var altered = await env.RequestAsync("globex", CardY, Now.AddHours(-1));
        await env.Scanner.ScanAsync();
        await env.Inner.ExecuteRawAsync($"UPDATE audit_events SET details = replace(details, '{CardY}', '{CardX}') WHERE sequence = {altered}");
        await env.RequestAsync("acme", CardX, Now);

        await env.Scanner.ScanAsync();

        var alert = Assert.Single(await env.AllAlertsAsync());
        Assert.Equal((AlertKind.IntegrityFailure, "audit:" + altered), (alert.Kind, alert.Subject));
    }
}
