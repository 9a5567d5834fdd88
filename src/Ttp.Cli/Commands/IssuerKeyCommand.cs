using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.IssuerKeys;

namespace Ttp.Cli.Commands;

/// <summary><c>ttpctl issuer-key ...</c>: issuer master key sets.</summary>
internal static class IssuerKeyCommand
{
    public static Command Create(CliOutput output, CliInput input)
    {
        var root = new Command("issuer-key", "Issuer master key sets: import, activate, suspend, retire, list.");

        var iin = AdminCommands.Required("--iin", "Issuer identification number (tag 42 value), hex.", "HEX");
        var kvn = new Option<int>("--kvn") { Description = "Key version number (0-255).", Required = true };
        var scheme = AdminCommands.Choice("--scheme", "Secure channel protocol.", true, "scp02", "scp03");
        var method = AdminCommands.Choice("--method", "Diversification method.", true, "emv", "visa2", "kdf3", "none");
        var componentsStdin = AdminCommands.ComponentsStdin();
        var sampleKdd = new Option<string>("--sample-kdd") { Description = "Known-answer sample: a KDD (10 bytes hex) ...", HelpName = "HEX" };
        var sampleKcv = new Option<string>("--sample-enc-kcv") { Description = "... and the issuer's ENC check value for it (3 bytes hex).", HelpName = "HEX" };
        var import = new Command("import", "Import a key set from two to nine master-key components read from standard input (automation path; ceremonies are the dual-control path).")
        {
            iin, kvn, scheme, method, componentsStdin, sampleKdd, sampleKcv,
        };
        import.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            KekCommand.RequireComponentImport(services);
            var channel = parse.GetRequiredValue(scheme) == "scp02" ? SecureChannelScheme.Scp02 : SecureChannelScheme.Scp03;
            var parts = ComponentInput.Read(input, channel == SecureChannelScheme.Scp02
                ? new ComponentShape(c => channel.CheckValue(c), 16)
                : new ComponentShape(c => channel.CheckValue(c), 16, 24, 32));
            try
            {
                var request = new IssuerKeyImport(
                    parse.GetRequiredValue(iin),
                    parse.GetValue(kvn),
                    channel,
                    parse.GetRequiredValue(method) switch
                    {
                        "emv" => DiversificationMethod.EmvCps11,
                        "visa2" => DiversificationMethod.Visa2,
                        "kdf3" => DiversificationMethod.Kdf3,
                        _ => DiversificationMethod.None,
                    },
                    parse.GetValue(sampleKdd),
                    parse.GetValue(sampleKcv));
                var set = await services.GetRequiredService<IssuerKeyService>().ImportAsync(request, parts, CliServices.CurrentActor, cancellationToken);
                output.WriteJson(Describe(set));
            }
            finally
            {
                ComponentInput.Clear(parts);
            }

            return ExitCodes.Success;
        });
        root.Subcommands.Add(import);

        root.Subcommands.Add(StateChange(output, "activate", "Activate a key set (checks the known-answer sample).", (s, i, k, c) => s.ActivateAsync(i, k, CliServices.CurrentActor, c)));
        root.Subcommands.Add(StateChange(output, "suspend", "Suspend an active key set.", (s, i, k, c) => s.SuspendAsync(i, k, CliServices.CurrentActor, cancellationToken: c)));
        root.Subcommands.Add(StateChange(output, "reinstate", "Reinstate a suspended key set.", (s, i, k, c) => s.ReinstateAsync(i, k, CliServices.CurrentActor, cancellationToken: c)));
        root.Subcommands.Add(StateChange(output, "retire", "Retire a key set for good.", (s, i, k, c) => s.RetireAsync(i, k, CliServices.CurrentActor, cancellationToken: c)));

        var list = new Command("list", "List key sets (check values, never keys).");
        list.SetServiceAction(async (_, services, cancellationToken) =>
        {
            var sets = await services.GetRequiredService<IssuerKeyService>().ListAsync(cancellationToken);
            output.WriteJson(sets.Select(Describe).ToArray());
            return ExitCodes.Success;
        });
        root.Subcommands.Add(list);
        return root;
    }

    private static Command StateChange(CliOutput output, string verb, string description, Func<IssuerKeyService, string, int, CancellationToken, Task<IssuerKeySet>> change)
    {
        var iin = AdminCommands.Required("--iin", "Issuer identification number, hex.", "HEX");
        var kvn = new Option<int>("--kvn") { Description = "Key version number.", Required = true };
        var command = new Command(verb, description) { iin, kvn };
        command.SetServiceAction(async (parse, services, cancellationToken) =>
        {
            var set = await change(services.GetRequiredService<IssuerKeyService>(), parse.GetRequiredValue(iin), parse.GetValue(kvn), cancellationToken);
            output.WriteJson(Describe(set));
            return ExitCodes.Success;
        });
        return command;
    }

    private static object Describe(IssuerKeySet set) => new
    {
        set.Iin,
        set.Kvn,
        Scheme = set.Scheme.ToString().ToUpperInvariant(),
        Method = set.Method.ToString(),
        set.KeyLength,
        Kcv = set.KeyCheckValue,
        State = set.State.ToString(),
        set.SampleKdd,
        set.SampleEncKcv,
        set.CreatedBy,
        set.CreatedAt,
        set.ActivatedBy,
    };
}
