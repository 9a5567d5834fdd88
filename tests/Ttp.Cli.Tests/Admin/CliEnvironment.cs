using System.Text.Json;
using Ttp.Domain.Data;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Cli.Tests.Admin;

/// <summary>
/// A data directory, a database (SQLite or PostgreSQL) and a config file for <c>ttpctl --config</c>: each test gets
/// its own installation.
/// </summary>
internal sealed class CliEnvironment : IAsyncDisposable
{
    private CliEnvironment(TestDatabase database, string folder, string configFile)
    {
        Database = database;
        Folder = folder;
        ConfigFile = configFile;
    }

    public TestDatabase Database { get; }

    public string Folder { get; }

    public string ConfigFile { get; }

    public static async Task<CliEnvironment> CreateAsync(DatabaseProvider provider, Dictionary<string, object>? extraTtp = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var folder = Directory.CreateTempSubdirectory("ttp-cli-").FullName;
        var ttp = new Dictionary<string, object>
        {
            ["DataDirectory"] = Path.Combine(folder, "data"),
            ["Database"] = new Dictionary<string, object> { ["Provider"] = provider.ToString() },
        };
        foreach (var (key, value) in extraTtp ?? [])
        {
            ttp[key] = value;
        }

        var config = new Dictionary<string, object>
        {
            ["ConnectionStrings"] = new Dictionary<string, string> { ["Ttp"] = database.ConnectionString },
            ["Ttp"] = ttp,
        };
        var configFile = Path.Combine(folder, "ttpctl.json");
        await File.WriteAllTextAsync(configFile, JsonSerializer.Serialize(config));
        return new CliEnvironment(database, folder, configFile);
    }

    public Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--config", ConfigFile]);

    public Task<CliResult> RunWithInputAsync(string stdin, params string[] args) =>
        CliRunner.RunWithInputAsync(stdin, [.. args, "--config", ConfigFile]);

    public Task<CliResult> RunWithAsync(string stdin, ISecretTerminal? terminal, Microsoft.Extensions.Logging.ILoggerProvider? logs, params string[] args) =>
        CliRunner.RunWithAsync(stdin, terminal, logs, [.. args, "--config", ConfigFile]);

    /// <summary>Runs a command that reads key components from standard input (<c>--components-stdin</c>), one a line.</summary>
    public Task<CliResult> RunWithComponentsAsync(string[] components, params string[] args) =>
        RunWithInputAsync(string.Join('\n', components) + "\n", [.. args, "--components-stdin"]);

    /// <summary>The same, for a command that must succeed.</summary>
    public async Task<CliResult> OkWithComponentsAsync(string[] components, params string[] args)
    {
        var result = await RunWithComponentsAsync(components, args);
        Assert.True(result.ExitCode == 0, $"ttpctl {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result;
    }

    /// <summary>Runs a command that must succeed and returns its JSON.</summary>
    public async Task<CliResult> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"ttpctl {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
