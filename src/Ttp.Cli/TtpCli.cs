using System.CommandLine;
using System.CommandLine.Parsing;
using Ttp.Cli.Commands;
using Ttp.Cli.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ttp.Crypto;
using Ttp.Domain;

namespace Ttp.Cli;

/// <summary>
/// <c>ttpctl</c>: the operator and automation command line. Parses, calls the crypto core or the domain services,
/// and translates errors once: exit code and one line on stderr, never a stack trace.
/// </summary>
internal static class TtpCli
{
    /// <summary>The process's run: the console's streams, and its terminal when standard input is not redirected.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdout, stderr, Console.In, Console.IsInputRedirected ? null : new ConsoleTerminal(), stderrIsTerminal: !Console.IsErrorRedirected);

    /// <summary>Runs one command.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">The JSON result.</param>
    /// <param name="stderr">The error (one line, the last), the log (Warning and up by default) and the progress of long commands.</param>
    /// <param name="stdin">Standard input (passwords, key components).</param>
    /// <param name="terminal">The terminal when standard input is one, for prompts without echo; else null.</param>
    /// <param name="logs">Receives the run's log lines too, from Trace up (tests).</param>
    /// <param name="stderrIsTerminal">Whether <paramref name="stderr"/> is a terminal: the progress of long commands is shown there.</param>
    public static async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin, ISecretTerminal? terminal = null, ILoggerProvider? logs = null,
        bool stderrIsTerminal = false)
    {
        CliServices.Logs = logs;
        CliServices.Stderr = new CliStderr(stderr, stderrIsTerminal);
        var output = new CliOutput(stdout, stderr);
        var input = new CliInput(stdin, terminal);
        var root = new RootCommand("ttpctl: the TTP key server's command line.")
        {
            CryptoCommand.Create(output),
            InitCommand.Create(output),
            UserCommand.Create(output, stdin),
            TsmCommand.Create(output, stdin),
            KekCommand.Create(output, input),
            IssuerKeyCommand.Create(output, input),
            CeremonyCommand.Create(output),
            AuditCommand.Create(output, stdout),
            LmkCommand.Create(output),
            BackupCommand.Create(output),
            RestoreCommand.Create(output),
        };
        root.Options.Add(AdminCommands.Config);
        root.Options.Add(AdminCommands.Verbose);
        root.Options.Add(AdminCommands.Progress);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            output.WriteError(DescribeParseError(parse));
            return ExitCodes.BadInput;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (CryptoInputException e)
        {
            output.WriteError(e.Message);
            return ExitCodes.BadInput;
        }
        catch (CliUsageException e)
        {
            output.WriteError(e.Message);
            return ExitCodes.BadInput;
        }
        catch (DomainException e)
        {
            output.WriteError(e.Message);
            return e switch
            {
                DomainInputException => ExitCodes.BadInput,
                RuleViolationException => ExitCodes.Refused,
                NotFoundException => ExitCodes.NotFound,
                IntegrityException => ExitCodes.IntegrityFailure,
                _ => ExitCodes.InternalError,
            };
        }
        catch (OptionsValidationException e)
        {
            output.WriteError("configuration: " + string.Join("; ", e.Failures));
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            output.WriteError($"unexpected error ({e.GetType().Name}): {e.Message}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>The most specific parse error, prefixed with the option it concerns when the parser knows it.</summary>
    private static string DescribeParseError(ParseResult parse)
    {
        if (parse.UnmatchedTokens.Count > 0)
        {
            // An unknown option's value is not repeated (--component=HEX names only --component).
            var token = parse.UnmatchedTokens[0];
            var name = token.StartsWith('-') && token.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals ? token[..equals] : token;
            return $"unrecognized command or argument '{name}' (see --help)";
        }

        var error = parse.Errors[0];
        var option = error.SymbolResult switch
        {
            OptionResult result => result.Option,
            ArgumentResult { Parent: OptionResult result } => result.Option,
            _ => null,
        };
        return option is null || error.Message.Contains(option.Name, StringComparison.Ordinal)
            ? error.Message
            : $"{option.Name}: {error.Message}";
    }
}
