using System.CommandLine;
using System.CommandLine.Parsing;
using Ttp.Cli.Commands;
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
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdout, stderr, Console.In);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin)
    {
        var output = new CliOutput(stdout, stderr);
        var root = new RootCommand("ttpctl: the TTP key server's command line.")
        {
            CryptoCommand.Create(output),
            InitCommand.Create(output),
            UserCommand.Create(output, stdin),
            TsmCommand.Create(output, stdin),
            KekCommand.Create(output),
            IssuerKeyCommand.Create(output),
            AuditCommand.Create(output, stdout),
            LmkCommand.Create(output),
        };
        root.Options.Add(AdminCommands.Config);

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
            return $"unrecognized command or argument '{parse.UnmatchedTokens[0]}' (see --help)";
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
