using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Cli.Commands;

/// <summary><c>ttpctl init</c>: create the database and the LMK if missing; idempotent.</summary>
internal static class InitCommand
{
    public static Command Create(CliOutput output)
    {
        var command = new Command("init", "Create (or bring up to date) the database, the LMK and the audit key; idempotent.");
        command.SetServiceAction(async (_, services, cancellationToken) =>
        {
            var factory = services.GetRequiredService<IDbContextFactory<TtpDbContext>>();
            await TtpDatabase.MigrateAsync(factory, cancellationToken);
            var lmk = services.GetRequiredService<ILmkProvider>();
            await services.GetRequiredService<AuditKeyHolder>().GetAsync(cancellationToken);
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            output.WriteJson(new
            {
                Database = ((TtpDbContextFactory)factory).Provider.ToString(),
                Lmk = new { Id = lmk.CurrentLmkId, Software = lmk.IsSoftware },
                AuditRecords = await db.AuditEvents.LongCountAsync(cancellationToken),
            });
            return ExitCodes.Success;
        });
        return command;
    }
}
