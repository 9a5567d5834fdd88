using System.CommandLine;
using System.Text.Json;
using Ttp.Domain.Audit;

namespace Ttp.Cli.Commands;

/// <summary>
/// <c>ttpctl audit verify-export --export FILE --public-key FILE [--checkpoint FILE]</c>: the offline verification of an
/// export with the public key alone. Reads no configuration and opens no database and no LMK.
/// </summary>
internal static class AuditVerifyExportCommand
{
    public static Command Create(CliOutput output)
    {
        var export = AdminCommands.Required("--export", "The export to verify (ttpctl audit export --format jsonl).", "FILE");
        var publicKey = AdminCommands.Required("--public-key", "The audit signing key's public key, PEM (ttpctl audit public-key --pem).", "FILE");
        var kept = new Option<string>("--checkpoint")
        {
            Description = "Checkpoints kept earlier (JSON lines of ttpctl audit checkpoint): the export must match those it reaches.",
            HelpName = "FILE",
        };
        var command = new Command("verify-export", "Verify an export with the public key alone (no database, no LMK, no configuration); exit 5 naming the first problem.")
        {
            export, publicKey, kept,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var key = ReadPublicKey(parse.GetRequiredValue(publicKey));
            var keptCheckpoints = parse.GetValue(kept) is { } keptPath ? ReadCheckpoints(keptPath) : [];
            using var reader = new StreamReader(Existing(parse.GetRequiredValue(export), "--export"));
            var result = await AuditExportVerifier.VerifyAsync(reader, key, keptCheckpoints, cancellationToken);
            output.WriteJson(result);
            result.ThrowIfBroken();
            return ExitCodes.Success;
        });
        return command;
    }

    private static AuditPublicKey ReadPublicKey(string path)
    {
        try
        {
            return AuditPublicKey.FromPem(File.ReadAllText(Existing(path, "--public-key")));
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"--public-key: {e.Message}");
        }
    }

    // One checkpoint per line: the object itself, or an export's {"checkpoint":{...}} line.
    private static List<AuditCheckpoint> ReadCheckpoints(string path)
    {
        var checkpoints = new List<AuditCheckpoint>();
        var number = 0;
        foreach (var line in File.ReadLines(Existing(path, "--checkpoint")))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var element = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("checkpoint", out var inner)
                    ? inner
                    : document.RootElement;
                checkpoints.Add(AuditCheckpointJson.Parse(element));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new CliUsageException($"--checkpoint: line {number} is not a checkpoint ({e.Message})");
            }
        }

        return checkpoints;
    }

    private static string Existing(string path, string option)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new CliUsageException($"{option}: no such file {full}");
    }
}
