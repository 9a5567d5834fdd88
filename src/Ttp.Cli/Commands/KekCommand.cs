using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Domain;
using Ttp.Domain.Keks;

namespace Ttp.Cli.Commands;

/// <summary><c>ttpctl kek ...</c>: key-exchange keys of a TSM.</summary>
internal static class KekCommand
{
    private static readonly string[] Algorithms = ["tdes2", "tdes3", "aes128", "aes192", "aes256"];

    public static Command Create(CliOutput output, CliInput input)
    {
        var root = new Command("kek", "Key-exchange keys: import from components, generate as components, list.");

        var tsm = AdminCommands.Required("--tsm", "The TSM's name.", "NAME");
        var index = new Option<int>("--index") { Description = "KEK index (1-255), unique per TSM.", Required = true };
        var algorithm = AdminCommands.Choice("--algorithm", "KEK algorithm.", true, Algorithms);
        var componentsStdin = AdminCommands.ComponentsStdin();
        var format = AdminCommands.Choice("--format", "Delivery format: tr31 (default) or gp.", false, "tr31", "gp");
        var import = new Command("import", "Import a KEK from two to nine components read from standard input (automation path; ceremonies are the dual-control path).")
        {
            tsm, index, algorithm, componentsStdin, format,
        };
        import.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            RequireComponentImport(services);
            var kekAlgorithm = ParseAlgorithm(parse.GetRequiredValue(algorithm));
            var parts = ComponentInput.Read(input, new ComponentShape(c => KekService.CheckValue(kekAlgorithm, c), Kek.LengthOf(kekAlgorithm)));
            try
            {
                var kek = await services.GetRequiredService<KekService>().ImportAsync(
                    parse.GetRequiredValue(tsm), parse.GetValue(index), kekAlgorithm,
                    parse.GetValue(format) == "gp" ? KekFormat.GpEncrypted : KekFormat.Tr31, parts, CliServices.CurrentActor, cancellationToken);
                output.WriteJson(Describe(kek, parse.GetRequiredValue(tsm)));
            }
            finally
            {
                ComponentInput.Clear(parts);
            }

            return ExitCodes.Success;
        });
        root.Subcommands.Add(import);

        var genTsm = AdminCommands.Required("--tsm", "The TSM's name.", "NAME");
        var genIndex = new Option<int>("--index") { Description = "KEK index (1-255), unique per TSM.", Required = true };
        var genAlgorithm = AdminCommands.Choice("--algorithm", "KEK algorithm.", true, Algorithms);
        var count = new Option<int>("--components") { Description = "Number of components (at least two), one per custodian.", Required = true };
        var outDir = AdminCommands.Required("--out-dir", "Folder for the component files (one per component, mode 0600).", "DIR");
        var genFormat = AdminCommands.Choice("--format", "Delivery format: tr31 (default) or gp.", false, "tr31", "gp");
        var generate = new Command("generate", "Generate a KEK and write its components to files, one per custodian.")
        {
            genTsm, genIndex, genAlgorithm, count, outDir, genFormat,
        };
        generate.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var folder = Path.GetFullPath(parse.GetRequiredValue(outDir));
            Directory.CreateDirectory(folder);
            var tsmName = parse.GetRequiredValue(genTsm);
            using var generated = await services.GetRequiredService<KekService>().GenerateAsync(
                tsmName, parse.GetValue(genIndex), ParseAlgorithm(parse.GetRequiredValue(genAlgorithm)),
                parse.GetValue(genFormat) == "gp" ? KekFormat.GpEncrypted : KekFormat.Tr31, parse.GetValue(count),
                CliServices.CurrentActor, cancellationToken);
            var files = new List<string>();
            for (var i = 0; i < generated.Components.Count; i++)
            {
                var path = Path.Combine(folder, $"kek-{tsmName}-{generated.Kek.Index}-component-{i + 1}-of-{generated.Components.Count}.txt");
                await WriteComponentSheetAsync(path, tsmName, generated, i, cancellationToken);
                files.Add(path);
            }

            output.WriteJson(new { Kek = Describe(generated.Kek, tsmName), ComponentKcvs = generated.ComponentCheckValues, Files = files });
            return ExitCodes.Success;
        });
        root.Subcommands.Add(generate);

        var listTsm = AdminCommands.Required("--tsm", "The TSM's name.", "NAME");
        var list = new Command("list", "List a TSM's KEKs (check values, never keys).") { listTsm };
        list.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var name = parse.GetRequiredValue(listTsm);
            var keks = await services.GetRequiredService<KekService>().ListAsync(name, cancellationToken);
            output.WriteJson(keks.Select(k => Describe(k, name)).ToArray());
            return ExitCodes.Success;
        });
        root.Subcommands.Add(list);
        return root;
    }

    /// <summary>The exit-3 message when component import is switched off: it names the portal page that replaces it.</summary>
    internal const string ComponentImportDisabled =
        "component import from the command line is disabled in this installation (Ttp:Cli:AllowComponentImport=false); run a key ceremony in the portal at /ceremonies";

    /// <summary>
    /// Refuses component import (<c>kek import</c>, <c>issuer-key import</c>) when <c>Ttp:Cli:AllowComponentImport</c> is
    /// false (exit 3), naming the portal's ceremonies page.
    /// </summary>
    internal static void RequireComponentImport(IServiceProvider services)
    {
        if (!AdminCommands.ComponentImportAllowed(services))
        {
            throw new RuleViolationException(ComponentImportDisabled);
        }
    }

    private static KekAlgorithm ParseAlgorithm(string text) => text switch
    {
        "tdes2" => KekAlgorithm.Tdes2,
        "tdes3" => KekAlgorithm.Tdes3,
        "aes128" => KekAlgorithm.Aes128,
        "aes192" => KekAlgorithm.Aes192,
        _ => KekAlgorithm.Aes256,
    };

    private static object Describe(Kek kek, string tsm) => new
    {
        Tsm = tsm,
        kek.Index,
        kek.Version,
        Algorithm = kek.Algorithm.ToString(),
        Format = kek.Format.ToString(),
        Kcv = kek.KeyCheckValue,
        State = kek.State.ToString(),
        kek.CreatedBy,
        kek.CreatedAt,
        kek.CeremonyId,
    };

    // One custodian's sheet: the KEK's label and index, this component and its check value, and the final check value
    // (docs/DESIGN.md section 4). Created with mode 0600.
    private static async Task WriteComponentSheetAsync(string path, string tsm, GeneratedKek generated, int i, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        var text = string.Create(CultureInfo.InvariantCulture, $"""
            TTP key server - KEK component {i + 1} of {generated.Components.Count}
            TSM:              {tsm}
            KEK index:        {generated.Kek.Index}
            Algorithm:        {generated.Kek.Algorithm}
            Component:        {Hex.Encode(generated.Components[i])}
            Component KCV:    {generated.ComponentCheckValues[i]}
            Final KEK KCV:    {generated.Kek.KeyCheckValue}
            Keep this sheet to yourself. Hand it over in person; destroy it after entry.

            """);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }
}
