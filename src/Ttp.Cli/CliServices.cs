using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
    /// what a run logs. Null in the real process, where ttpctl writes no log (stdout is JSON, stderr one error line).
    /// </summary>
    public static ILoggerProvider? Logs
    {
        get => CapturedLogs.Value;
        set => CapturedLogs.Value = value;
    }

    /// <summary>The environment variable that names a configuration file when <c>--config</c> is not given.</summary>
    public const string ConfigVariable = "TTP_CONFIG";

    public static ServiceProvider Build(string? configFile)
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
            if (Logs is { } logs)
            {
                logging.AddProvider(logs);
                logging.SetMinimumLevel(LogLevel.Trace);
            }
        });
        services.AddTtpDomain(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>The actor of every state change made from the command line.</summary>
    public static Actor CurrentActor => Actor.Cli(Environment.UserName);
}
