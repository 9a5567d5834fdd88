using System.Text.Json;
using System.Text.Json.Nodes;
using Ttp.Cli.Tests.Admin;
using Ttp.Domain.Data;

namespace Ttp.Cli.Tests.Logging;

/// <summary>
/// ttpctl's log on standard error: Warning and above by default, Information with <c>--verbose</c>, the level of
/// <c>Logging:Ttpctl:LogLevel</c> when configured; one line an entry; stdout stays the one JSON result.
/// </summary>
public sealed class StderrLogTests
{
    [Fact]
    public async Task Init_DefaultLevel_WarningOnStderrOnlyJsonOnStdout()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);

        var result = await env.OkAsync("init");

        // A new software LMK is a warning (back it up); the LMK's loading (Information) is not shown.
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, line => line.StartsWith("ttpctl: warning: Created a new software LMK ", StringComparison.Ordinal)
            && line.TrimEnd().EndsWith(" 4100]", StringComparison.Ordinal));
        Assert.All(lines, line => Assert.Matches(CliResult.LogLine, line));
        Assert.Equal(JsonValueKind.Object, result.Json.ValueKind);
        Assert.DoesNotContain("ttpctl:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_Verbose_InformationOnStderrStdoutUnchanged()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");
        var quiet = await env.OkAsync("tsm", "list");

        var verbose = await env.OkAsync("tsm", "list", "--verbose");

        Assert.Equal(string.Empty, quiet.Stderr);
        Assert.Contains("ttpctl: info: LMK ", verbose.Stderr, StringComparison.Ordinal);
        Assert.Contains(" loaded from ", verbose.Stderr, StringComparison.Ordinal);
        Assert.Equal(quiet.Stdout, verbose.Stdout);
    }

    [Fact]
    public async Task Init_ConfiguredLevelError_NoWarningOnStderr()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await SetLevelAsync(env, "Error");

        var result = await env.OkAsync("init");

        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal(JsonValueKind.Object, result.Json.ValueKind);
    }

    [Fact]
    public async Task AnyCommand_ConfiguredLevelNotALevel_ExitTwoNamingTheSetting()
    {
        await using var env = await CliEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        await env.OkAsync("init");
        await SetLevelAsync(env, "Loud");

        var result = await env.RunAsync("tsm", "list");

        result.AssertBadInput("Logging:Ttpctl:LogLevel:Default", "Loud");
    }

    // Adds Logging:Ttpctl:LogLevel:Default to the environment's configuration file.
    private static async Task SetLevelAsync(CliEnvironment env, string level)
    {
        var config = JsonNode.Parse(await File.ReadAllTextAsync(env.ConfigFile))!.AsObject();
        config["Logging"] = new JsonObject { ["Ttpctl"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = level } } };
        await File.WriteAllTextAsync(env.ConfigFile, config.ToJsonString());
    }
}
