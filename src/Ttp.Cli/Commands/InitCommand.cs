using System.CommandLine;
using Ttp.Domain;

namespace Ttp.Cli.Commands;

/// <summary><c>ttpctl init</c>: create the database and the LMK if missing; idempotent.</summary>
internal static class InitCommand
{
    public static Command Create(CliOutput output)
    {
        var command = new Command("init", "Create (or bring up to date) the database, the LMK, the audit keys and the anchored audit trail; idempotent. Prints the absolute paths it used.");
        command.SetServiceAction(async (_, services, cancellationToken) =>
        {
            var status = await DomainInitializer.InitializeAsync(services, cancellationToken);
            var paths = Installation.Describe(services);
            output.WriteJson(new
            {
                Paths = new { paths.DataDirectory, paths.Database, paths.Lmk, paths.AuditAnchors },
                Database = status.Database.ToString(),
                Lmk = new { Id = status.LmkId, Software = status.SoftwareLmk },
                status.AuditRecords,
                AuditSigningKey = status.AuditSigningKeyFingerprint,
            });
            return ExitCodes.Success;
        }, initialize: false);
        return command;
    }
}
