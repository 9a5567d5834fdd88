using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain.Backup;

namespace Ttp.Cli.Commands;

/// <summary><c>ttpctl backup --out DIR</c>: database, signed checkpoints, upgrade markers, data-protection keys and a
/// manifest; never the LMK. Audited.</summary>
internal static class BackupCommand
{
    public static Command Create(CliOutput output)
    {
        var outDirectory = AdminCommands.Required("--out", "A new or empty folder for the backup (created 0700).", "DIR");
        var command = new Command("backup", "Back up the installation (database, anchors, markers, data-protection keys, manifest.json), never the LMK; audited.")
        {
            outDirectory,
        };
        command.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var directory = parse.GetRequiredValue(outDirectory);
            var manifest = await services.GetRequiredService<BackupService>().BackupAsync(directory, CliServices.CurrentActor, cancellationToken);
            output.WriteJson(new
            {
                Directory = Path.GetFullPath(directory),
                Provider = manifest.Provider.ToString(),
                manifest.CreatedAt,
                manifest.LmkId,
                manifest.Audit,
                Files = manifest.Files.Select(f => f.Path),
            });
            return ExitCodes.Success;
        });
        return command;
    }
}
