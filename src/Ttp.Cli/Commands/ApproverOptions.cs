using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Staff;

namespace Ttp.Cli.Commands;

/// <summary>
/// The options of a four-eyes decision at the command line: who decides (<c>--approver</c>), their own password on
/// standard input (<c>--password-stdin</c>, required) and, when their account has an authenticator, a current code
/// (<c>--totp</c>). Checked by <see cref="ApproverAuthentication"/>; a wrong one is exit 3 and audited.
/// </summary>
internal sealed class ApproverOptions
{
    private readonly TextReader _stdin;

    public ApproverOptions(TextReader stdin, string approverDescription)
    {
        _stdin = stdin;
        Approver = AdminCommands.Required("--approver", approverDescription, "EMAIL");
    }

    public Option<string> Approver { get; }

    public Option<bool> PasswordStdin { get; } = new("--password-stdin")
    {
        Description = "Read the approver's own password from the first line of standard input (required).",
        Required = true,
    };

    public Option<string> Totp { get; } = new("--totp") { Description = "The approver's current authenticator code (when their account has one).", HelpName = "CODE" };

    public void AddTo(Command command)
    {
        command.Options.Add(Approver);
        command.Options.Add(PasswordStdin);
        command.Options.Add(Totp);
    }

    /// <summary>The approver's e-mail, once their password (and code) are checked.</summary>
    public async Task<string> AuthenticateAsync(ParseResult parse, IServiceProvider services, CancellationToken cancellationToken)
    {
        var password = await _stdin.ReadLineAsync(cancellationToken);
        if (string.IsNullOrEmpty(password))
        {
            throw new CliUsageException("--password-stdin: no password on standard input");
        }

        return await services.GetRequiredService<ApproverAuthentication>().VerifyAsync(
            parse.GetRequiredValue(Approver), password, parse.GetValue(Totp), CliServices.CurrentActor, cancellationToken);
    }
}
