using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Cli.Commands;

/// <summary><c>ttpctl audit verify|export</c>.</summary>
internal static class AuditCommand
{
    public static Command Create(CliOutput output, TextWriter stdout)
    {
        var verify = new Command("verify", "Recompute the audit chain; exit 5 naming the first broken record.");
        verify.SetServiceAction(async (_, services, cancellationToken) =>
        {
            var key = await services.GetRequiredService<AuditKeyHolder>().GetAsync(cancellationToken);
            var result = await AuditVerifier.VerifyAsync(services.GetRequiredService<IDbContextFactory<TtpDbContext>>(), key, cancellationToken);
            output.WriteJson(result);
            if (!result.IsValid)
            {
                throw new IntegrityException($"audit chain broken at record {result.FirstBrokenSequence}: {result.Problem}");
            }

            return ExitCodes.Success;
        });

        var format = AdminCommands.Choice("--format", "csv or jsonl.", true, "csv", "jsonl");
        var from = new Option<string>("--from") { Description = "First day or instant (ISO 8601, UTC), inclusive.", HelpName = "DATE" };
        var to = new Option<string>("--to") { Description = "Last day (inclusive) or instant (exclusive), ISO 8601 UTC.", HelpName = "DATE" };
        var export = new Command("export", "Write audit records to standard output (the export itself is audited).") { format, from, to };
        export.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var start = ParseDate(parse.GetValue(from), "--from", endOfDay: false);
            var end = ParseDate(parse.GetValue(to), "--to", endOfDay: true);
            var chosen = parse.GetRequiredValue(format) == "csv" ? AuditExportFormat.Csv : AuditExportFormat.JsonLines;
            await services.GetRequiredService<AuditedTransaction>().RunAsync<int>(
                _ => Task.FromResult((0, AuditRecord.StaffAction("audit.exported", CliServices.CurrentActor, "audit", new { Format = chosen.ToString(), From = start, To = end }))),
                cancellationToken);
            await AuditExporter.ExportAsync(services.GetRequiredService<IDbContextFactory<TtpDbContext>>(), stdout, chosen, start, end, cancellationToken);
            return ExitCodes.Success;
        });

        return new Command("audit", "The audit chain.") { verify, export };
    }

    // A date alone means the whole day (to: up to the end of that day); an instant is taken as given.
    private static DateTimeOffset? ParseDate(string? text, string option, bool endOfDay)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1) : start;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant.ToUniversalTime()
            : throw new CliUsageException($"{option}: expected a date (2026-11-26) or an ISO 8601 instant, found '{text}'");
    }
}
