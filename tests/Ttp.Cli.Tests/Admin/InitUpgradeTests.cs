using System.Globalization;
using System.Text.Json;
using Ttp.Domain.Data;
using Ttp.Domain.Staff;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.Upgrade;

namespace Ttp.Cli.Tests.Admin;

/// <summary>
/// <c>ttpctl init</c> on an installation of the previous release (<see cref="PreviousReleaseInstallation"/>) runs the
/// same one-time conversions as the portal's start-up, once; afterwards the previous release's Operator approves a
/// change at the command line with the authenticator enrolled under that release.
/// </summary>
public sealed class InitUpgradeTests
{
    private const string Password = "Correct-Horse-Battery-9";

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Init_PreviousReleaseInstallation_ConvertsOnceAndTheOldOperatorApprovesWithTheOldAuthenticator(DatabaseProvider provider)
    {
        await using var install = await PreviousReleaseInstallation.CreateAsync(provider);
        var set = await install.AddIssuerKeySetAsync("A0000001", 0xFF, Convert.FromHexString("404142434445464748494A4B4C4D4E4F"));
        var tsm = await install.AddAccreditedTsmAsync("acme", "A0000001");
        var kek = await install.AddKekAsync(tsm.Id, 1, Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210"));
        var staff = await install.AddStaffUserAsync("op-legacy@ttp.example", Password, StaffRoles.Operator);
        var config = Path.Combine(install.Folder, "ttpctl.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(install.Settings));

        var first = await OkAsync(config, "init");
        var second = await OkAsync(config, "init");

        // The second init appends nothing.
        Assert.Equal(first.Json.GetProperty("audit_records").GetInt64(), second.Json.GetProperty("audit_records").GetInt64());
        foreach (var key in new[] { set, kek })
        {
            var envelope = await install.ReadEnvelopeAsync(key);
            Assert.Equal(2, envelope.Format);
            Assert.True(install.OpensToTheSameKey(key, envelope, key.Format2AssociatedData), $"{key.Table} {key.Id}: does not open with its attributes to the key it had");
        }

        Assert.Equal(3, await install.CountAsync(
            "SELECT (SELECT COUNT(*) FROM tsms WHERE record_mac IS NOT NULL) + (SELECT COUNT(*) FROM tsm_certificates WHERE record_mac IS NOT NULL) " +
            "+ (SELECT COUNT(*) FROM tsm_issuer_scope WHERE record_mac IS NOT NULL)"));
        var tokens = await install.IdentityTokensAsync();
        Assert.False(tokens.Contains(staff.AuthenticatorKey, StringComparison.OrdinalIgnoreCase), "Identity's tokens still hold the authenticator secret in clear");
        Assert.All(staff.RecoveryCodes, c => Assert.False(tokens.Contains(c, StringComparison.Ordinal), "Identity's tokens still hold a recovery code in clear"));
        Assert.True(File.Exists(Path.Combine(install.DataDirectory, "envelope-attributes.done")));
        Assert.True(File.Exists(Path.Combine(install.DataDirectory, "access-record-macs.done")));
        Assert.True(File.Exists(Path.Combine(install.DataDirectory, "key-state-macs.done")));
        Assert.Equal(2, await install.CountAsync(
            "SELECT (SELECT COUNT(*) FROM keks WHERE record_mac IS NOT NULL) + (SELECT COUNT(*) FROM issuer_key_sets WHERE record_mac IS NOT NULL)"));
        string[] conversions =
        [
            "audit.anchored", "integrity.key-states-authenticated", "integrity.records-authenticated", "keystore.attributes-sealed", "keystore.attributes-sealed",
            "staff.2fa-secrets-sealed",
        ];
        var actions = await install.QueryTextAsync($"SELECT action FROM audit_events WHERE sequence > {install.AuditRecords} ORDER BY action");
        Assert.Equal(conversions, actions.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('|')));
        var verify = await OkAsync(config, "audit", "verify");
        Assert.True(verify.Json.GetProperty("is_valid").GetBoolean());

        // The previous release's Operator approves a widening change with their password and a code of the old secret.
        await OkAsync(config, "tsm", "scope", "--name", "acme", "--issuer", "A0000001", "--issuer", "A0000002");
        var change = (await OkAsync(config, "tsm", "changes", "--name", "acme")).Json.EnumerateArray().Single().GetProperty("id").GetString()!;
        var code = Totp.Compute(staff.AuthenticatorSecret, Totp.StepAt(DateTimeOffset.UtcNow)).ToString("D6", CultureInfo.InvariantCulture);
        var approved = await CliRunner.RunWithInputAsync(Password + "\n",
            "tsm", "change-approve", "--id", change, "--approver", staff.Email, "--password-stdin", "--totp", code, "--config", config);
        Assert.True(approved.ExitCode == 0, approved.Stderr);
        Assert.Equal(["A0000001", "A0000002"], approved.Json.GetProperty("issuers").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
    }

    private static async Task<CliResult> OkAsync(string config, params string[] args)
    {
        var result = await CliRunner.RunAsync([.. args, "--config", config]);
        Assert.True(result.ExitCode == 0, $"ttpctl {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result;
    }
}
