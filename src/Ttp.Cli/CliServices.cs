using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;

namespace Ttp.Cli;

/// <summary>
/// The domain services for one <c>ttpctl</c> run, from the portal's configuration: <c>appsettings.json</c> (copied from
/// the portal), then environment variables (<c>Ttp__...</c>, <c>ConnectionStrings__Ttp</c>), then <c>--config FILE</c>.
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Build(string? configFile)
    {
        var builder = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables();
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                throw new CliUsageException($"--config: no such file {path}");
            }

            builder.AddJsonFile(path, optional: false);
        }

        var configuration = builder.Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddTtpDomain(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>The actor of every state change made from the command line.</summary>
    public static Actor CurrentActor => Actor.Cli(Environment.UserName);
}
