using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Ttp.TsmClient.Keys;

namespace Ttp.TsmClient;

/// <summary>
/// <c>ttp-tsm</c>: the reference TSM command line. Parses, runs <see cref="ProvisionRun"/> and translates its failures
/// once: <c>ttp-tsm: STEP: REASON</c> on stderr and the exit code of the kind of failure (<see cref="ExitCodes"/>).
/// </summary>
internal static class TsmCommandLine
{
    private static readonly Dictionary<string, byte> Levels = new(StringComparer.Ordinal)
    {
        ["mac"] = 0x01,
        ["mac-enc"] = 0x03,
        ["mac-enc-rmac"] = 0x13,
    };

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, stdout, stderr, TimeProvider.System);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var card = Required<string>("--card", "URL", "The card: its APDU endpoint (the card simulator's http://127.0.0.1:PORT/apdu).");
        var ttp = new Option<string>("--ttp") { Description = "The TTP's SOAP endpoint; without it, the URL the card names in tag 5F50.", HelpName = "URL" };
        var clientCert = Required<string>("--client-cert", "FILE", "The TSM's TLS client certificate (PEM), with its private key unless --client-key gives it.");
        var clientKey = new Option<string>("--client-key") { Description = "The client certificate's private key (PEM).", HelpName = "FILE" };
        var ca = Required<string>("--ca", "FILE", "The certificates (PEM) the TTP's server certificate must chain to.");
        var kekIndex = Required<int>("--kek-index", "N", "The index (1-255) of the TSM's KEK at the TTP.");
        var kekFile = Required<string>("--kek-file", "FILE", "The TSM's KEK: JSON {\"algorithm\": \"tdes2|tdes3|aes128|aes192|aes256\", \"key\": HEX}.");
        var newKeys = Required<string>("--new-keys", "FILE", "The TSM's key set for the card: JSON {\"kvn\": HEX, \"keys\": {\"enc\", \"mac\", \"dek\"}}.");
        var kvn = new Option<string>("--kvn") { Description = "The card's key set to open (two hex digits); default the first it lists.", HelpName = "HEX" };
        var level = new Option<string>("--security-level") { Description = "mac, mac-enc (default) or mac-enc-rmac (SCP03 cards with R-MAC).", DefaultValueFactory = _ => "mac-enc" };
        level.AcceptOnlyFromAmong([.. Levels.Keys]);
        kekIndex.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 255)
            {
                result.AddError("--kek-index: expected a number from 1 to 255");
            }
        });

        var provision = new Command("provision", "Reads a card, gets its keys from the TTP, and rotates it to the TSM's own key set.")
        {
            card, ttp, clientCert, clientKey, ca, kekIndex, kekFile, newKeys, kvn, level,
        };
        provision.SetAction((parse, cancellationToken) => RunProvisionAsync(
            () => new ProvisionOptions
            {
                Card = ParseUrl(parse.GetValue(card)!, "--card", Uri.UriSchemeHttp, Uri.UriSchemeHttps)!,
                Ttp = ParseUrl(parse.GetValue(ttp), "--ttp", Uri.UriSchemeHttps),
                ClientCertificate = parse.GetValue(clientCert)!,
                ClientKey = parse.GetValue(clientKey),
                Ca = parse.GetValue(ca)!,
                KekIndex = parse.GetValue(kekIndex),
                KekFile = parse.GetValue(kekFile)!,
                NewKeys = parse.GetValue(newKeys)!,
                KeyVersion = ParseKvn(parse.GetValue(kvn)),
                SecurityLevel = Levels[parse.GetValue(level)!],
            },
            stdout,
            stderr,
            time,
            cancellationToken));

        var root = new RootCommand("ttp-tsm: a reference TSM client of the TTP key server (docs/TSM-CLIENT.md).") { provision };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"ttp-tsm: {parse.Errors[0].Message} (see --help)").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }).ConfigureAwait(false);
    }

    private static async Task<int> RunProvisionAsync(
        Func<ProvisionOptions> options, TextWriter stdout, TextWriter stderr, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await new ProvisionRun(options(), new StepWriter(stdout), time).RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Rotated;
        }
        catch (ProvisionException e)
        {
            await stderr.WriteLineAsync($"ttp-tsm: {e.Step}: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await stderr.WriteLineAsync($"ttp-tsm: unexpected error ({e.GetType().Name}): {e.Message}").ConfigureAwait(false);
            return ExitCodes.Unexpected;
        }
    }

    private static Uri? ParseUrl(string? text, string option, params string[] schemes)
    {
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url) && schemes.Contains(url.Scheme)
            ? url
            : throw new ProvisionException("input", ExitCodes.BadInput, $"{option}: expected an absolute {string.Join(" or ", schemes)} URL");
    }

    private static byte? ParseKvn(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return KeyVersion.TryParse(text, out var value)
            ? value
            : throw new ProvisionException("input", ExitCodes.BadInput, "--kvn: " + KeyVersion.Expected);
    }

    private static Option<T> Required<T>(string name, string helpName, string description) =>
        new(name) { Description = description, Required = true, HelpName = helpName };
}
