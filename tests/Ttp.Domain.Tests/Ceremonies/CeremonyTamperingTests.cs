using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Tests.Infrastructure;
using static Ttp.Domain.Tests.Ceremonies.CeremonyEnvironment;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.Ceremonies;

/// <summary>
/// A database writer without the LMK against a ceremony in progress (SQL against the running installation): changing the
/// key's attributes, rolling the count of components back, copying another ceremony's partial, or declaring the
/// ceremony complete early. The sealed partial no longer opens: the step is refused, nothing is written, and the damage
/// is raised (Critical log, <c>integrity.key-damaged</c>) without any key material.
/// </summary>
public sealed class CeremonyTamperingTests
{
    private const string ComponentA = "0123456789ABCDEFFEDCBA9876543210";
    private const string ComponentB = "1F1E1D1C1B1A19181716151413121110";
    private const string ComponentC = "A1A2A3A4A5A6A7A8B1B2B3B4B5B6B7B8";

    public static TheoryData<DatabaseProvider, string> Attacks()
    {
        var data = new TheoryData<DatabaseProvider, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            data.Add(provider, "UPDATE ceremonies SET method = 0 WHERE id = {target}");
            data.Add(provider, "UPDATE ceremonies SET kvn = 1, label = 'issuer key A0000001/1', key_reference = 'issuer-key:A0000001/1' WHERE id = {target}");
            data.Add(provider, "UPDATE ceremonies SET components_received = 1 WHERE id = {target}");
            data.Add(provider, "UPDATE ceremonies SET envelope_payload = (SELECT envelope_payload FROM ceremonies WHERE id = {other}), "
                + "envelope_wrapped_key = (SELECT envelope_wrapped_key FROM ceremonies WHERE id = {other}) WHERE id = {target}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task EnterComponent_CeremonyRowChangedInSql_RefusedNothingWrittenDamageRaised(DatabaseProvider provider, string attack)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider, services => services.AddFakeLogging());
        var target = await env.OpenAsync(kvn: 0xFF, components: 3);
        var other = await env.OpenAsync(kvn: 0x20, components: 3);
        await env.EnterAsync(target.Id, ComponentA, Custodian1);
        await env.EnterAsync(target.Id, ComponentB, Custodian2);
        await env.EnterAsync(other.Id, ComponentC, Custodian1);

        Assert.Equal(1, await env.Inner.ExecuteRawAsync(attack.Replace("{target}", Literal(provider, target.Id), StringComparison.Ordinal)
            .Replace("{other}", Literal(provider, other.Id), StringComparison.Ordinal)));
        var before = await env.DumpDatabaseAsync();

        await Assert.ThrowsAsync<IntegrityException>(() => env.EnterAsync(target.Id, ComponentC, Custodian3));

        var records = await CeremonyServiceTests.StaffRecordsAsync(env);
        var raised = Assert.Single(records, r => r.Action == IntegrityAlarm.KeyDamagedAction);
        Assert.Contains($"ceremony {target.Id:D}", raised.Subject + raised.Details, StringComparison.Ordinal);
        var critical = env.Inner.Services.GetRequiredService<FakeLogCollector>().GetSnapshot().Where(r => r.Level == LogLevel.Critical).ToList();
        Assert.Contains(critical, r => r.Message.Contains($"ceremony {target.Id:D}", StringComparison.Ordinal));
        var after = await env.DumpDatabaseAsync();
        Assert.Equal(Without(before, "audit"), Without(after, "audit"));
        foreach (var secret in new[] { ComponentA, ComponentB, ComponentC })
        {
            Assert.DoesNotContain(secret, after, StringComparison.OrdinalIgnoreCase);
            Assert.All(critical, r => Assert.DoesNotContain(secret, r.Message, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Confirm_DeclaredCompleteInSqlAfterOneComponent_RefusedNoKeySet(DatabaseProvider provider)
    {
        await using var env = await CeremonyEnvironment.CreateAsync(provider);
        var ceremony = await env.OpenAsync(kvn: 0xFF, components: 2);
        await env.EnterAsync(ceremony.Id, ComponentA, Custodian1);

        await env.Inner.ExecuteRawAsync($"UPDATE ceremonies SET state = 2, components_received = 2, final_check_value = '{CheckValue(ComponentA)}' WHERE id = {Literal(provider, ceremony.Id)}");

        await Assert.ThrowsAsync<IntegrityException>(() => env.Ceremonies.ConfirmAsync(ceremony.Id, CheckValue(ComponentA), Officer));
        await Assert.ThrowsAsync<NotFoundException>(() => env.Inner.Services.GetRequiredService<IssuerKeyService>().GetAsync(Iin, 0xFF));
    }

    private static string Literal(DatabaseProvider provider, Guid id) =>
        provider == DatabaseProvider.Sqlite ? $"'{id.ToString("D").ToUpperInvariant()}'" : $"'{id:D}'";

    // The database as text without the rows of the named table prefix (the audit trail grows with the alarm).
    private static string Without(string dump, string tablePrefix) =>
        string.Join('\n', dump.Split('\n').Where(line => !line.StartsWith(tablePrefix, StringComparison.Ordinal)));
}
