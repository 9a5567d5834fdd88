using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ttp.Cli.Logging;
using Ttp.Domain;

namespace Ttp.Cli;

/// <summary>
/// The domain services for one <c>ttpctl</c> run, from the portal's configuration: <c>appsettings.json</c> (copied from
/// the portal), then environment variables (<c>Ttp__...</c>, <c>ConnectionStrings__Ttp</c>), then <c>--config FILE</c> (or the
/// file <c>TTP_CONFIG</c> names).
/// </summary>
internal static class CliServices
{
    private static readonly AsyncLocal<ILoggerProvider?> CapturedLogs = new();

    /// <summary>
    /// A provider that receives every log line (from trace up) of the runs in the current asynchronous flow: tests read
    /// what a run logs. Null in the real process, whose log is on standard error (<see cref="StderrLoggerProvider"/>).
    /// </summary>
    public static ILoggerProvider? Logs
    {
        get => CapturedLogs.Value;
        set => CapturedLogs.Value = value;
    }

    private static readonly AsyncLocal<CliStderr?> CurrentStderr = new();

    /// <summary>The run's standard error, for its log and progress (set by <see cref="TtpCli.RunAsync(string[], TextWriter, TextWriter, TextReader, ISecretTerminal?, ILoggerProvider?, bool)"/>).</summary>
    public static CliStderr? Stderr
    {
        get => CurrentStderr.Value;
        set => CurrentStderr.Value = value;
    }

    /// <summary>The environment variable that names a configuration file when <c>--config</c> is not given.</summary>
    public const string ConfigVariable = "TTP_CONFIG";

    /// <summary>The services of one run; its log on standard error from Information up with <paramref name="verbose"/>.</summary>
    public static ServiceProvider Build(string? configFile, bool verbose = false)
    {
        configFile ??= Environment.GetEnvironmentVariable(ConfigVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables();
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                throw new CliUsageException($"--config (or {ConfigVariable}): no such file {path}");
            }

            builder.AddJsonFile(path, optional: false);
        }

        var configuration = builder.Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging =>
        {
            // Standard error: Warning by default, then Logging:Ttpctl:LogLevel, then --verbose (later rules win).
            logging.AddFilter<StderrLoggerProvider>(null, LogLevel.Warning);
            foreach (var (category, level) in ConfiguredLevels(configuration))
            {
                logging.AddFilter<StderrLoggerProvider>(category, level);
            }

            if (verbose)
            {
                logging.AddFilter<StderrLoggerProvider>("Ttp", LogLevel.Information);
            }

            if (Stderr is { } stderr)
            {
                logging.AddProvider(new StderrLoggerProvider(stderr.Writer));
            }

            if (Logs is { } logs)
            {
                logging.AddProvider(logs);
                logging.SetMinimumLevel(LogLevel.Trace);
            }
        });
        services.AddTtpDomain(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>
    /// The levels under <c>Logging:Ttpctl:LogLevel</c> (category or <c>Default</c>, as the framework's own provider
    /// sections): only for ttpctl's log; the general <c>Logging:LogLevel</c> is the portal's.
    /// </summary>
    private static IEnumerable<(string? Category, LogLevel Level)> ConfiguredLevels(IConfiguration configuration)
    {
        foreach (var entry in configuration.GetSection($"Logging:{StderrLoggerProvider.Alias}:LogLevel").GetChildren())
        {
            if (!Enum.TryParse<LogLevel>(entry.Value, ignoreCase: true, out var level) || !Enum.IsDefined(level))
            {
                throw new CliUsageException($"{entry.Path}: expected a log level (Trace, Debug, Information, Warning, Error, Critical, None), found '{entry.Value}'");
            }

            yield return (entry.Key == "Default" ? null : entry.Key, level);
        }
    }

    /// <summary>The actor of every state change made from the command line.</summary>
    public static Actor CurrentActor => Actor.Cli(Environment.UserName);
}
