using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Ceremonies;

namespace Ttp.Cli.Commands;

/// <summary><c>ttpctl ceremony ...</c>: key ceremonies for operators on a shell (the steps themselves are the portal's).</summary>
internal static class CeremonyCommand
{
    public static Command Create(CliOutput output)
    {
        var root = new Command("ceremony", "Key ceremonies under dual control: list.");
        var all = new Option<bool>("--all") { Description = "Also completed, aborted and expired ceremonies." };
        var list = new Command("list", "List ceremonies in progress, newest first (overdue ones are expired first, audited); never a component.") { all };
        list.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            await services.GetRequiredService<CeremonyService>().ExpireOverdueAsync(cancellationToken);
            var ceremonies = await services.GetRequiredService<CeremonyQueries>().ListAsync(parse.GetValue(all), cancellationToken);
            output.WriteJson(ceremonies.Select(c => new
            {
                c.Id,
                Kind = c.Kind.ToString(),
                State = c.State.ToString(),
                c.Label,
                Components = $"{c.ComponentsReceived}/{c.ComponentsExpected}",
                c.NamedCustodians,
                c.EnteredBy,
                c.OpenedBy,
                c.OpenedAt,
                c.ExpiresAt,
            }).ToArray());
            return ExitCodes.Success;
        });
        root.Subcommands.Add(list);
        return root;
    }
}
