using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;

namespace Ttp.Cli.Commands;

/// <summary>Shared plumbing of the administration commands: the <c>--config</c> option and the services.</summary>
internal static class AdminCommands
{
    /// <summary><c>--config FILE</c>: another appsettings file, read after the defaults and environment variables.</summary>
    public static readonly Option<string> Config = new("--config")
    {
        Description = "An appsettings JSON file to read after appsettings.json and environment variables.",
        Recursive = true,
        HelpName = "FILE",
    };

    /// <summary><c>--verbose</c>: the log on standard error from Information up (Warning otherwise).</summary>
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Log from Information up on standard error (default: warnings and errors; or Logging:Ttpctl:LogLevel).",
        Recursive = true,
    };

    /// <summary><c>--progress</c>: show the progress of long commands on standard error even when it is not a terminal.</summary>
    public static readonly Option<bool> Progress = new("--progress")
    {
        Description = "Show the progress of lmk rotate, audit verify and audit export on standard error even when it is not a terminal.",
        Recursive = true,
    };

    /// <summary>
    /// Sets an async action that gets the run's services, after bringing the installation up to date (migrations,
    /// LMK, audit key: the same start-up as the portal's).
    /// </summary>
    /// <param name="command">The command.</param>
    /// <param name="action">What the command does.</param>
    /// <param name="initialize">False for <c>ttpctl init</c>, which initializes itself and reports the result.</param>
    public static void SetServiceAction(this Command command, Func<ParseResult, IServiceProvider, CancellationToken, Task<int>> action, bool initialize = true) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliServices.Build(parse.GetValue(Config), parse.GetValue(Verbose));
            await using var scope = services.CreateAsyncScope();
            if (initialize)
            {
                // Only `ttpctl init` creates an installation: elsewhere (another directory, a missing --config) say where
                // we looked instead of answering from a new, empty one.
                if (!await Installation.ExistsAsync(scope.ServiceProvider, cancellationToken))
                {
                    var paths = Installation.Describe(scope.ServiceProvider);
                    throw new NotFoundException(
                        $"no installation in {paths.Database} (data directory {paths.DataDirectory}): run ttpctl where the installation is, " +
                        "or give its configuration with --config FILE or TTP_CONFIG; `ttpctl init` creates a new one");
                }

                await DomainInitializer.InitializeAsync(scope.ServiceProvider, cancellationToken);
            }

            return await action(parse, scope.ServiceProvider, cancellationToken);
        });

    /// <summary>
    /// <c>--components-stdin</c> (required): the key's components come from standard input, one a line, or from prompts
    /// without echo when standard input is a terminal (<see cref="ComponentInput"/>); never from the command line.
    /// </summary>
    public static Option<bool> ComponentsStdin() => new(ComponentInput.StdinOption)
    {
        Description = "Read the components (hex, two to nine) from standard input, one a line; at a terminal, prompt for each without echo.",
        Required = true,
    };

    /// <summary>Whether <c>Ttp:Cli:AllowComponentImport</c> permits component import from the command line (default true).</summary>
    public static bool ComponentImportAllowed(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>().GetValue("Ttp:Cli:AllowComponentImport", true);

    public static Option<string> Required(string name, string description, string? helpName = null) =>
        new(name) { Description = description, Required = true, HelpName = helpName };

    public static Option<string> Choice(string name, string description, bool required, params string[] values)
    {
        var option = new Option<string>(name) { Description = description, Required = required };
        option.AcceptOnlyFromAmong(values);
        return option;
    }
}
