using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Ttp.Cli.Tests.Infrastructure;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Cli.Tests.Admin;

/// <summary>
/// <c>ttpctl user invite</c> on both databases: the enrolment link is printed once (whole with <c>--base-url</c> or the
/// configured portal address, else the path), only its hash is stored, the invitation is audited with the command
/// line's actor and never with the token, inviting again withdraws the earlier link; bad input exits 2, a refusal 3.
/// </summary>
public sealed class UserInviteCommandTests
{
    private const string Invitee = "new.operator@ttp.test";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task UserInvite_BaseUrl_PrintsLinkOnceStoresOnlyItsHashAudited(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        using var logs = new LogCapture();

        var result = await env.RunWithAsync(string.Empty, null, logs,
            "user", "invite", Invitee, "--role", "Operator", "--role", "auditor", "--base-url", "https://ttp.example:7443");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(Invitee, result.Field("email"));
        Assert.Equal(["Auditor", "Operator"], result.Json.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(result.Json.TryGetProperty("expires_at", out _));
        Assert.False(result.Json.TryGetProperty("enrolment_path", out _));
        var link = result.Field("enrolment_link");
        Assert.StartsWith("https://ttp.example:7443/account/enrol#", link, StringComparison.Ordinal);
        var token = link[(link.IndexOf('#', StringComparison.Ordinal) + 1)..];
        Assert.Equal(43, token.Length);
        Assert.Equal(2, result.Stdout.Split(token).Length);
        Assert.DoesNotContain(token, logs.Text, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))),
            await ScalarAsync(env, provider == DatabaseProvider.Sqlite ? "SELECT hex(token_hash) FROM staff_invitations" : "SELECT upper(encode(token_hash, 'hex')) FROM staff_invitations"));
        Assert.Equal("0", await ScalarAsync(env, $"SELECT COUNT(*) FROM staff_invitations WHERE email LIKE '%{token}%' OR roles LIKE '%{token}%'"));
        Assert.Equal("cli:" + Environment.UserName, await ScalarAsync(env, "SELECT actor FROM audit_events WHERE action = 'user.invited'"));
        Assert.Equal("0", await ScalarAsync(env, $"SELECT COUNT(*) FROM audit_events WHERE details LIKE '%{token}%'"));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task UserInvite_SameAddressAgain_EarlierInvitationWithdrawn(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);

        var first = await env.OkAsync("user", "invite", Invitee, "--role", "Operator");
        var second = await env.OkAsync("user", "invite", Invitee, "--role", "KeyCustodian");

        Assert.NotEqual(first.Field("enrolment_path"), second.Field("enrolment_path"));
        Assert.Equal("1", await ScalarAsync(env, "SELECT COUNT(*) FROM staff_invitations WHERE state = 2 AND roles = 'Operator'"));
        Assert.Equal("1", await ScalarAsync(env, "SELECT COUNT(*) FROM staff_invitations WHERE state = 0 AND roles = 'KeyCustodian'"));
    }

    [Fact]
    public async Task UserInvite_PortalUrlConfiguredOrNot_LinkOrPath()
    {
        await using var configured = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, object>
        {
            ["Cli"] = new Dictionary<string, object> { ["PortalUrl"] = "https://portal.ttp.example" },
        });
        await using var bare = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);

        var link = await configured.OkAsync("user", "invite", Invitee, "--role", "Operator");
        var path = await bare.OkAsync("user", "invite", Invitee, "--role", "Operator");

        Assert.StartsWith("https://portal.ttp.example/account/enrol#", link.Field("enrolment_link"), StringComparison.Ordinal);
        Assert.StartsWith("/account/enrol#", path.Field("enrolment_path"), StringComparison.Ordinal);
        Assert.False(path.Json.TryGetProperty("enrolment_link", out _));
        Assert.Contains("--base-url", path.Field("note"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserAdd_PasswordOnStdin_AccountMarkedToChangeItAtFirstSignIn()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);

        var added = await env.RunWithInputAsync("Correct-Horse-Battery-9\n", "user", "add", "--email", "ops@ttp.test", "--role", "Operator", "--password-stdin");

        Assert.True(added.ExitCode == 0, added.Stderr);
        var export = (await env.OkAsync("audit", "export", "--format", "jsonl")).Stdout;
        var record = Assert.Single(export.Split('\n'), l => l.Contains("user.added", StringComparison.Ordinal));
        Assert.Contains("passwordChangeRequired", record, StringComparison.Ordinal);
        Assert.DoesNotContain("Correct-Horse-Battery-9", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserInvite_BadInputOrExistingAccount_ExitCodeAndOneLineNothingStored()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        var added = await env.RunWithInputAsync("Correct-Horse-Battery-9\n", "user", "add", "--email", "admin@ttp.test", "--role", "Administrator", "--password-stdin");
        Assert.True(added.ExitCode == 0, added.Stderr);

        (await env.RunAsync("user", "invite", Invitee, "--role", "Operator", "--base-url", "http://ttp.example")).AssertBadInput("--base-url", "https");
        (await env.RunAsync("user", "invite", Invitee, "--role", "Operator", "--base-url", "ttp.example")).AssertBadInput("--base-url");
        (await env.RunAsync("user", "invite", Invitee)).AssertBadInput("--role");
        (await env.RunAsync("user", "invite", Invitee, "--role", "Superuser")).AssertBadInput("role", "Superuser");
        (await env.RunAsync("user", "invite", "not-an-address", "--role", "Operator")).AssertBadInput("email");
        (await env.RunAsync("user", "invite", "admin@ttp.test", "--role", "Operator")).AssertFailure(3, "already exists");

        Assert.Equal("0", await ScalarAsync(env, "SELECT COUNT(*) FROM staff_invitations"));
    }

    private static async Task<string> ScalarAsync(CliEnvironment env, string sql)
    {
        System.Data.Common.DbConnection connection = env.Database.Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(env.Database.ConnectionString + ";Pooling=False")
            : new NpgsqlConnection(env.Database.ConnectionString);
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "null";
        }
    }
}
