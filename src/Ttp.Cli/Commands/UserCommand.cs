using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Staff;

namespace Ttp.Cli.Commands;

/// <summary><c>ttpctl user add</c>: create a staff account (bootstrap and automation).</summary>
internal static class UserCommand
{
    public static Command Create(CliOutput output, TextReader stdin)
    {
        var email = AdminCommands.Required("--email", "The staff member's e-mail (sign-in name).", "EMAIL");
        var role = AdminCommands.Choice("--role", "The role.", true, [.. StaffRoles.All]);
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input (required).", Required = true };
        var add = new Command("add", "Create a staff account with one role.") { email, role, passwordStdin };
        add.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var password = await stdin.ReadLineAsync(cancellationToken);
            if (string.IsNullOrEmpty(password))
            {
                throw new CliUsageException("--password-stdin: no password on standard input");
            }

            var user = await services.GetRequiredService<StaffService>()
                .AddAsync(parse.GetRequiredValue(email), parse.GetRequiredValue(role), password, CliServices.CurrentActor, cancellationToken);
            output.WriteJson(new { user.Email, Role = StaffRoles.Find(parse.GetRequiredValue(role)) });
            return ExitCodes.Success;
        });
        return new Command("user", "Staff accounts.") { add };
    }
}
