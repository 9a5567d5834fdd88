using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;
using Ttp.Domain.Tsms;

namespace Ttp.Domain.Tests.Tsms;

/// <summary>The accreditation use cases of <see cref="TsmService"/> on a real database, with their audit records.</summary>
public sealed class TsmServiceTests
{
    private const string Iin = "A0000001";
    private static readonly Actor OperatorA = Actor.Staff(KeyRequestEnvironment.OperatorA);
    private static readonly Actor OperatorB = Actor.Staff(KeyRequestEnvironment.OperatorB);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RegisterAsync_WithContactAndRateLimit_StoredAndAudited(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var tsms = Tsms(env);
        var registration = new TsmRegistration(" acme ", "ACME Ltd", ["a0000001", "A0000001", "A0000002"],
            new TsmContact("Jo Contact", "jo@acme.example", "+44 20 7946 0000"), 25);

        await tsms.RegisterAsync(registration, TestCertificates.Pem(TestCertificates.Create()), OperatorA);

        var tsm = await tsms.GetAsync("acme");
        Assert.Equal(("ACME Ltd", "Jo Contact", "jo@acme.example", "+44 20 7946 0000"), (tsm.Organisation, tsm.ContactName, tsm.ContactEmail, tsm.ContactPhone));
        Assert.Equal(["A0000001", "A0000002"], tsm.Scope.Select(s => s.Iin).Order());
        Assert.Equal(25, tsm.RateLimitPerSecond);
        Assert.Single(tsm.Certificates);
        var record = Assert.Single(await EventsAsync(env, "acme"));
        Assert.Equal(("tsm.registered", "user:" + KeyRequestEnvironment.OperatorA), (record.Action, record.Actor));
        Assert.Equal("jo@acme.example", Details(record).GetProperty("contact").GetProperty("email").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RegisterAsync_BadInput_RefusedWithOneSentence(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var tsms = Tsms(env);
        var certificate = TestCertificates.Create();

        var badIin = await Assert.ThrowsAsync<DomainInputException>(() => tsms.RegisterAsync(new TsmRegistration("acme", null, ["A00G"]), certificate, OperatorA));
        var oddIin = await Assert.ThrowsAsync<DomainInputException>(() => tsms.RegisterAsync(new TsmRegistration("acme", null, ["A00"]), certificate, OperatorA));
        var longIin = await Assert.ThrowsAsync<DomainInputException>(() => tsms.RegisterAsync(new TsmRegistration("acme", null, [new string('A', 34)]), certificate, OperatorA));
        var email = await Assert.ThrowsAsync<DomainInputException>(() => tsms.RegisterAsync(new TsmRegistration("acme", null, [Iin], new TsmContact(null, "not-an-address", null)), certificate, OperatorA));
        var rate = await Assert.ThrowsAsync<DomainInputException>(() => tsms.RegisterAsync(new TsmRegistration("acme", null, [Iin], RateLimitPerSecond: 0), certificate, OperatorA));
        var garbage = await Assert.ThrowsAsync<DomainInputException>(() => tsms.RegisterAsync("acme", null, [1, 2, 3], [Iin], OperatorA));
        var reserved = await Assert.ThrowsAsync<DomainInputException>(() => tsms.RegisterAsync(new TsmRegistration("Register", null, [Iin]), certificate, OperatorA));

        Assert.StartsWith("issuer 'A00G'", badIin.Message, StringComparison.Ordinal);
        Assert.StartsWith("issuer 'A00'", oddIin.Message, StringComparison.Ordinal);
        Assert.Contains("1 to 16 bytes", longIin.Message, StringComparison.Ordinal);
        Assert.StartsWith("contact e-mail", email.Message, StringComparison.Ordinal);
        Assert.StartsWith("rate limit", rate.Message, StringComparison.Ordinal);
        Assert.StartsWith("certificate:", garbage.Message, StringComparison.Ordinal);
        Assert.Contains("reserved", reserved.Message, StringComparison.Ordinal);
        Assert.Empty(await tsms.ListAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task PreviewCertificateAsync_ProblemCertificates_ListsEveryProblemAndRegisterRefusesTheFirst(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var tsms = Tsms(env);
        var now = DateTimeOffset.UtcNow;
        var good = TestCertificates.Create("CN=good, O=Good TSM");
        await tsms.RegisterAsync("owner", null, good, [Iin], OperatorA);
        var weakExpiredServerOnly = TestCertificates.Create("CN=bad", now.AddDays(-30), now.AddDays(-1), rsaBits: 1024, clientAuth: false);

        var fine = await tsms.PreviewCertificateAsync(TestCertificates.Pem(TestCertificates.Create("CN=fresh, O=Fresh TSM", rsaBits: 2048)));
        var taken = await tsms.PreviewCertificateAsync(good);
        var bad = await tsms.PreviewCertificateAsync(weakExpiredServerOnly);

        Assert.True(fine.IsAcceptable);
        Assert.Equal(("CN=fresh, O=Fresh TSM", "CN=fresh, O=Fresh TSM", "RSA", 2048), (fine.Subject, fine.Issuer, fine.KeyType, fine.KeySize));
        Assert.Equal(64, fine.Sha256Thumbprint.Length);
        Assert.Equal(["certificate: already registered to TSM 'owner'"], taken.Problems);
        Assert.Equal(3, bad.Problems.Count);
        Assert.StartsWith("certificate: expired on", bad.Problems[0], StringComparison.Ordinal);
        Assert.Contains("clientAuth", bad.Problems[1], StringComparison.Ordinal);
        Assert.Contains("RSA key of 1024 bits is too weak", bad.Problems[2], StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => tsms.RegisterAsync("bad", null, weakExpiredServerOnly, [Iin], OperatorA));
        Assert.Equal(bad.Problems[0], refused.Message);
        var duplicate = await Assert.ThrowsAsync<RuleViolationException>(() => tsms.RegisterAsync("copy", null, good, [Iin], OperatorA));
        Assert.Equal(taken.Problems[0], duplicate.Message);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task ApproveAndRejectAsync_Registrar_RefusedAndNothingAudited(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var tsms = Tsms(env);
        await tsms.RegisterAsync("acme", null, TestCertificates.Create(), [Iin], OperatorA);

        await Assert.ThrowsAsync<RuleViolationException>(() => tsms.ApproveAsync("acme", KeyRequestEnvironment.OperatorA, OperatorA));
        await Assert.ThrowsAsync<RuleViolationException>(() => tsms.RejectAsync("acme", KeyRequestEnvironment.OperatorA, "no", OperatorA));
        await Assert.ThrowsAsync<DomainInputException>(() => tsms.RejectAsync("acme", KeyRequestEnvironment.OperatorB, "  ", OperatorB));
        await Assert.ThrowsAsync<NotFoundException>(() => tsms.RejectAsync("acme", "nobody@ttp.example", "no", OperatorB));

        Assert.Equal(TsmState.PendingApproval, (await tsms.GetAsync("acme")).State);
        Assert.Equal(["tsm.registered"], (await EventsAsync(env, "acme")).Select(e => e.Action));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RejectAsync_SecondOperator_RejectedWithReasonAndAudited(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var tsms = Tsms(env);
        await tsms.RegisterAsync("acme", null, TestCertificates.Create(), [Iin], OperatorA);

        var tsm = await tsms.RejectAsync("acme", KeyRequestEnvironment.OperatorB, "documents missing", OperatorB);

        Assert.Equal((TsmState.Rejected, "documents missing"), (tsm.State, tsm.StateReason));
        var record = (await EventsAsync(env, "acme"))[0];
        Assert.Equal(("tsm.rejected", "user:" + KeyRequestEnvironment.OperatorB), (record.Action, record.Actor));
        var details = Details(record);
        Assert.Equal(("PendingApproval", "Rejected", "documents missing"),
            (details.GetProperty("before").GetString(), details.GetProperty("after").GetString(), details.GetProperty("reason").GetString()));
        await Assert.ThrowsAsync<RuleViolationException>(() => tsms.ApproveAsync("acme", KeyRequestEnvironment.OperatorB, OperatorB));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task UpdateScopeAsync_NewIssuersAndRate_ReplacedAndAuditedWithBeforeAndAfter(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var tsms = Tsms(env);
        await tsms.RegisterAsync("acme", null, TestCertificates.Create(), ["A0000001", "A0000002"], OperatorA);

        await Assert.ThrowsAsync<DomainInputException>(() => tsms.UpdateScopeAsync("acme", ["XYZ1"], null, OperatorB));
        await Assert.ThrowsAsync<DomainInputException>(() => tsms.UpdateScopeAsync("acme", [Iin], -1, OperatorB));
        await tsms.UpdateScopeAsync("acme", ["a0000002", "B0000003"], 12.5, OperatorB);
        await tsms.UpdateScopeAsync("acme", ["B0000003"], null, OperatorB);

        var tsm = await tsms.GetAsync("acme");
        Assert.Equal(["B0000003"], tsm.Scope.Select(s => s.Iin));
        Assert.Null(tsm.RateLimitPerSecond);
        var events = await EventsAsync(env, "acme");
        Assert.Equal(["tsm.scope-updated", "tsm.scope-updated", "tsm.registered"], events.Select(e => e.Action));
        var first = Details(events[1]);
        Assert.Equal(["A0000001", "A0000002"], first.GetProperty("before").GetProperty("issuers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("before").GetProperty("rateLimitPerSecond").ValueKind);
        Assert.Equal(["A0000002", "B0000003"], first.GetProperty("after").GetProperty("issuers").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal(12.5, first.GetProperty("after").GetProperty("rateLimitPerSecond").GetDouble());
        Assert.Equal("user:" + KeyRequestEnvironment.OperatorB, events[0].Actor);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task AddCertificateAsync_RulesOfRegistration_OneTsmPerCertificate(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var tsms = Tsms(env);
        var first = TestCertificates.Create("CN=first");
        var other = TestCertificates.Create("CN=other");
        await tsms.RegisterAsync("acme", null, first, [Iin], OperatorA);
        await tsms.RegisterAsync("other", null, other, [Iin], OperatorA);

        var own = await Assert.ThrowsAsync<RuleViolationException>(() => tsms.AddCertificateAsync("acme", first, OperatorB));
        var foreign = await Assert.ThrowsAsync<RuleViolationException>(() => tsms.AddCertificateAsync("acme", TestCertificates.Pem(other), OperatorB));
        var weak = await Assert.ThrowsAsync<RuleViolationException>(() => tsms.AddCertificateAsync("acme", TestCertificates.Create(rsaBits: 1024), OperatorB));
        var successor = TestCertificates.Create("CN=successor");
        await tsms.AddCertificateAsync("acme", successor, OperatorB);

        Assert.Equal("certificate: already registered to TSM 'acme'", own.Message);
        Assert.Equal("certificate: already registered to TSM 'other'", foreign.Message);
        Assert.Contains("too weak", weak.Message, StringComparison.Ordinal);
        Assert.Equal(["CN=first", "CN=successor"], (await tsms.GetAsync("acme")).Certificates.Select(c => c.Subject).Order());
        var record = (await EventsAsync(env, "acme"))[0];
        Assert.Equal(("tsm.certificate-added", "user:" + KeyRequestEnvironment.OperatorB), (record.Action, record.Actor));
        Assert.Equal("CN=successor", Details(record).GetProperty("certificate").GetProperty("subject").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RetireCertificateAsync_Rules_PastRefusedLastCertificateKeptFutureAccepted(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        var tsms = Tsms(env);
        var now = DateTimeOffset.UtcNow;
        var first = TestCertificates.Create("CN=first");
        await tsms.RegisterAsync("acme", null, first, [Iin], OperatorA);
        await tsms.ApproveAsync("acme", KeyRequestEnvironment.OperatorB, OperatorB);
        var thumbprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(first));

        var alone = await Assert.ThrowsAsync<RuleViolationException>(() => tsms.RetireCertificateAsync("acme", thumbprint, now.AddHours(1), OperatorA));
        await tsms.AddCertificateAsync("acme", TestCertificates.Create("CN=successor"), OperatorA);
        await env.ApprovePendingAsync("acme");
        var past = await Assert.ThrowsAsync<DomainInputException>(() => tsms.RetireCertificateAsync("acme", thumbprint, now.AddHours(-1), OperatorA));
        await Assert.ThrowsAsync<NotFoundException>(() => tsms.RetireCertificateAsync("acme", new string('A', 64), now.AddHours(1), OperatorA));
        var retireAt = AuditRecord.TruncateToMicroseconds(now.AddHours(1));
        await tsms.RetireCertificateAsync("acme", thumbprint.ToLowerInvariant(), retireAt, OperatorA);

        Assert.Contains("add its successor first", alone.Message, StringComparison.Ordinal);
        Assert.StartsWith("retire at", past.Message, StringComparison.Ordinal);
        var tsm = await tsms.GetAsync("acme");
        var retiring = tsm.Certificates.Single(c => c.Sha256Thumbprint == thumbprint);
        Assert.Equal(retireAt, retiring.RetiredAt);
        Assert.False(retiring.IsRetired(DateTimeOffset.UtcNow));
        Assert.Equal(2, tsm.CurrentCertificates(DateTimeOffset.UtcNow).Count());
        var record = (await EventsAsync(env, "acme"))[0];
        Assert.Equal(("tsm.certificate-retired", "user:" + KeyRequestEnvironment.OperatorA), (record.Action, record.Actor));
        var details = Details(record);
        Assert.Equal(JsonValueKind.Null, details.GetProperty("before").GetProperty("retiredAt").ValueKind);
        Assert.Equal(retireAt, details.GetProperty("after").GetProperty("retiredAt").GetDateTimeOffset());
    }

    private static TsmService Tsms(KeyRequestEnvironment env) => env.Services.GetRequiredService<TsmService>();

    private static Task<IReadOnlyList<AuditEvent>> EventsAsync(KeyRequestEnvironment env, string name) =>
        env.Services.GetRequiredService<AuditQueries>().ForSubjectAsync("tsm:" + name);

    private static JsonElement Details(AuditEvent record) => JsonDocument.Parse(record.Details).RootElement;
}
