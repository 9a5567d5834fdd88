using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Cli.Logging;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Cli.Commands;

/// <summary><c>ttpctl audit verify|export|public-key|checkpoint|verify-export</c>.</summary>
internal static class AuditCommand
{
    public static Command Create(CliOutput output, TextWriter stdout)
    {
        var verify = new Command("verify", "Recompute the audit chain and check it against the signed checkpoints; exit 5 naming the first problem.");
        verify.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var progress = CliProgress.For(parse, "audit verify", "records verified");
            var result = await services.GetRequiredService<AuditTrailVerifier>().VerifyAsync(progress, cancellationToken);
            progress?.Done(result.RecordCount);
            output.WriteJson(result);
            result.ThrowIfBroken();
            return ExitCodes.Success;
        });

        var publicKey = new Command("public-key", "Print the audit signing key's public key (PEM, SubjectPublicKeyInfo) and its SHA-256 fingerprint.")
        {
            PemOnly,
        };
        publicKey.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var key = await services.GetRequiredService<AuditTrailVerifier>().PublicKeyAsync(cancellationToken);
            if (parse.GetValue(PemOnly))
            {
                await stdout.WriteAsync(key.Pem);
            }
            else
            {
                output.WriteJson(new { PublicKey = key.Pem, FingerprintSha256 = key.Fingerprint, Algorithm = "ECDSA P-256 with SHA-256" });
            }

            return ExitCodes.Success;
        });

        var checkpoint = new Command("checkpoint", "Print the latest signed checkpoint (one JSON line), e.g. for an auditor to keep outside the TTP.");
        checkpoint.SetServiceAction((_, services, _) =>
        {
            var latest = services.GetRequiredService<AuditCheckpointFile>().ReadLatest()
                ?? throw new NotFoundException("the anchors file holds no checkpoint");
            stdout.WriteLine(AuditCheckpointJson.ToLine(latest));
            return Task.FromResult(ExitCodes.Success);
        });

        return new Command("audit", "The audit chain.") { verify, Export(stdout), publicKey, checkpoint, AuditVerifyExportCommand.Create(output) };
    }

    private static readonly Option<bool> PemOnly = new("--pem") { Description = "Print only the PEM text (to save as the auditor's key file)." };

    private static Command Export(TextWriter stdout)
    {
        var format = AdminCommands.Choice("--format", "csv or jsonl (jsonl carries the checkpoints: verify it with verify-export).", true, "csv", "jsonl");
        var from = new Option<string>("--from") { Description = "First day or instant (ISO 8601, UTC), inclusive.", HelpName = "DATE" };
        var to = new Option<string>("--to") { Description = "Last day (inclusive) or instant (exclusive), ISO 8601 UTC.", HelpName = "DATE" };
        var export = new Command("export", "Write audit records with their chain hashes (and, in jsonl, the checkpoints covering them) to standard output; the export itself is audited.")
        {
            format, from, to,
        };
        export.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var start = ParseDate(parse.GetValue(from), "--from", endOfDay: false);
            var end = ParseDate(parse.GetValue(to), "--to", endOfDay: true);
            var chosen = parse.GetRequiredValue(format) == "csv" ? AuditExportFormat.Csv : AuditExportFormat.JsonLines;

            // Recorded (and checkpointed) first, so that the export ends at a checkpoint that covers the request for it.
            await services.GetRequiredService<AuditedTransaction>().RunAsync<int>(
                _ => Task.FromResult((0, AuditRecord.StaffAction("audit.exported", CliServices.CurrentActor, "audit", new { Format = chosen.ToString(), From = start, To = end }))),
                cancellationToken);
            var progress = CliProgress.For(parse, "audit export", "records written");
            var written = await AuditExporter.ExportAsync(services.GetRequiredService<IDbContextFactory<TtpDbContext>>(), stdout, chosen,
                services.GetRequiredService<AuditCheckpointFile>(), start, end, progress, cancellationToken);
            progress?.Done(written);
            return ExitCodes.Success;
        });
        return export;
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
