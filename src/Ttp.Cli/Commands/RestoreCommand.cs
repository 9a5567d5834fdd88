using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Backup;

namespace Ttp.Cli.Commands;

/// <summary>
/// <c>ttpctl restore --from DIR</c>: a backup into an empty installation whose LMK the custodians restored; then the
/// normal initialization, an audit verification and the record of the restore. Runs without the usual initialization
/// (there is no installation yet; creating one would make it not empty): the domain's restore does its own checks.
/// </summary>
internal static class RestoreCommand
{
    public static Command Create(CliOutput output)
    {
        var from = AdminCommands.Required("--from", "The backup folder (ttpctl backup --out).", "DIR");
        var command = new Command("restore", "Restore a backup into an empty installation (its LMK restored first); verifies the manifest and the audit trail; audited.")
        {
            from,
        };
        command.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var result = await services.GetRequiredService<RestoreService>().RestoreAsync(parse.GetRequiredValue(from), CliServices.CurrentActor, cancellationToken);
            output.WriteJson(new
            {
                Provider = result.Provider.ToString(),
                result.BackupCreatedAt,
                result.LmkId,
                result.BackupLastSequence,
                result.RecordsVerified,
                result.CheckpointsVerified,
            });
            return ExitCodes.Success;
        }, initialize: false);
        return command;
    }
}
