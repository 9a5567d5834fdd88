using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Cli.Logging;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Cli.Commands;

/// <summary><c>ttpctl lmk rotate</c>: re-wrap every envelope under a new LMK; resumable.</summary>
internal static class LmkCommand
{
    public static Command Create(CliOutput output)
    {
        var rotate = new Command("rotate", "Create a new LMK and re-wrap every stored key under it; run again to resume after an interruption.");
        rotate.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var progress = CliProgress.For(parse, "lmk rotate", "envelopes re-wrapped");
            var result = await services.GetRequiredService<LmkRotation>().RunAsync(services.GetRequiredService<IDbContextFactory<TtpDbContext>>(), progress, cancellationToken);
            progress?.Done(result.EnvelopesRewrapped);
            await services.GetRequiredService<AuditedTransaction>().RunAsync<int>(
                _ => Task.FromResult((0, AuditRecord.StaffAction("lmk.rotated", CliServices.CurrentActor, "lmk", result))),
                cancellationToken);
            output.WriteJson(result);
            return ExitCodes.Success;
        });
        return new Command("lmk", "The local master key.") { rotate };
    }
}
