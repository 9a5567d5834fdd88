using System.Globalization;
using System.Text;

namespace Ttp.LoadGenerator;

/// <summary>The command line: where, as whom, how hard, how long, and what to ask.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        ttp-loadgen: WSGetDiversifiedKeys against the baseline POST /soap/v1/echo, over mutual TLS, in alternating phases.

          --url URL               the SOAP endpoint's base, e.g. https://127.0.0.1:7444 (required)
          --pfx FILE              the client (TSM) certificate with its private key, PKCS#12 (required)
          --pfx-password TEXT     its password (default empty)
          --server-sha256 HEX     accept only the server certificate with this SHA-256 fingerprint (colons allowed)
          --insecure              accept any server certificate (the self-signed test server)
          --connections N         clients, each its own handler with one keep-alive connection (default 16)
          --warmup-seconds S      both targets, not measured (default 5)
          --phases N              measured phases per target, alternating SOAP, baseline, SOAP, ... (default 3)
          --phase-seconds S       length of each phase (default 5)
          --kdd HEX --e0 HEX --iin HEX --kek-index N [--kvn N]   the WSGetDiversifiedKeys request (SOAP 1.1)
          --request-file FILE     or the whole SOAP 1.1 envelope from a file
          --soap-path PATH        default /soap/v1/KeyDistribution.svc
          --baseline-path PATH    default /soap/v1/echo (answers the same body)
          --timeout-seconds S     per request (default 10)

        Prints per target requests/s, p50, p99, max (ms) and errors, and the ratio SOAP/baseline requests/s.
        Exit 0 with no error, 1 when any request failed, 2 on bad arguments.
        """;

    public required Uri BaseUrl { get; init; }

    public string SoapPath { get; init; } = "/soap/v1/KeyDistribution.svc";

    public string BaselinePath { get; init; } = "/soap/v1/echo";

    public required string PfxPath { get; init; }

    public string PfxPassword { get; init; } = string.Empty;

    /// <summary>The pinned server certificate's SHA-256, uppercase hex; null with <see cref="Insecure"/>.</summary>
    public string? ServerSha256 { get; init; }

    public bool Insecure { get; init; }

    public int Connections { get; init; } = 16;

    public int WarmupSeconds { get; init; } = 5;

    public int Phases { get; init; } = 3;

    public int PhaseSeconds { get; init; } = 5;

    public int TimeoutSeconds { get; init; } = 10;

    public required byte[] RequestBody { get; init; }

    /// <summary>The parsed options, or null when help was asked for.</summary>
    public static LoadOptions? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var insecure = false;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "-h" or "--help":
                    return null;
                case "--insecure":
                    insecure = true;
                    continue;
                default:
                    break;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"unexpected argument '{name}' (--help for usage)");
            }

            values[name] = args[++i];
        }

        string? Get(string name) => values.Remove(name, out var value) ? value : null;
        string Required(string name) => Get(name) ?? throw new ArgumentException($"{name} is required");
        int Int(string name, int fallback, int min, int max)
        {
            var text = Get(name);
            if (text is null)
            {
                return fallback;
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new ArgumentException($"{name}: expected an integer between {min} and {max}, found '{text}'");
        }

        var url = Required("--url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"--url: expected an https URL, found '{url}'");
        }

        var pin = Get("--server-sha256");
        if (pin is not null)
        {
            pin = pin.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
            if (pin.Length != 64 || !pin.All(Uri.IsHexDigit))
            {
                throw new ArgumentException("--server-sha256: expected 32 bytes of hex");
            }
        }
        else if (!insecure)
        {
            throw new ArgumentException("either --server-sha256 HEX or --insecure is required");
        }

        var pfx = Required("--pfx");
        if (!File.Exists(pfx))
        {
            throw new ArgumentException($"--pfx: no such file '{pfx}'");
        }

        var options = new LoadOptions
        {
            BaseUrl = baseUrl,
            PfxPath = pfx,
            PfxPassword = Get("--pfx-password") ?? string.Empty,
            ServerSha256 = pin,
            Insecure = insecure,
            Connections = Int("--connections", 16, 1, 1024),
            WarmupSeconds = Int("--warmup-seconds", 5, 0, 3600),
            Phases = Int("--phases", 3, 1, 100),
            PhaseSeconds = Int("--phase-seconds", 5, 1, 3600),
            TimeoutSeconds = Int("--timeout-seconds", 10, 1, 600),
            SoapPath = Get("--soap-path") ?? "/soap/v1/KeyDistribution.svc",
            BaselinePath = Get("--baseline-path") ?? "/soap/v1/echo",
            RequestBody = BuildRequestBody(Get("--request-file"), Get("--kdd"), Get("--e0"), Get("--iin"), Get("--kek-index"), Get("--kvn")),
        };

        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option '{values.Keys.First()}' (--help for usage)");
        }

        return options;
    }

    private static byte[] BuildRequestBody(string? file, string? kdd, string? e0, string? iin, string? kekIndex, string? kvn)
    {
        if (file is not null)
        {
            if ((kdd ?? e0 ?? iin ?? kekIndex ?? kvn) is not null)
            {
                throw new ArgumentException("--request-file excludes --kdd, --e0, --iin, --kek-index and --kvn");
            }

            return File.Exists(file) ? File.ReadAllBytes(file) : throw new ArgumentException($"--request-file: no such file '{file}'");
        }

        static string Hex(string name, string? value) =>
            value is { Length: > 0 } && value.Length % 2 == 0 && value.All(Uri.IsHexDigit)
                ? value.ToUpperInvariant()
                : throw new ArgumentException($"{name}: expected hex (an even number of digits), found '{value}'");

        static string Number(string name, string? value) =>
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n.ToString(CultureInfo.InvariantCulture)
                : throw new ArgumentException($"{name}: expected a non-negative integer, found '{value}'");

        var xml = new StringBuilder()
            .Append("""<?xml version="1.0" encoding="utf-8"?>""")
            .Append("""<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>""")
            .Append("""<WSGetDiversifiedKeysRequest xmlns="urn:ttp:keydistribution:v1">""")
            .Append("<KeyDiversificationData>").Append(Hex("--kdd", kdd)).Append("</KeyDiversificationData>")
            .Append("<KeyInformationTemplate>").Append(Hex("--e0", e0)).Append("</KeyInformationTemplate>")
            .Append("<IssuerIdentificationNumber>").Append(Hex("--iin", iin)).Append("</IssuerIdentificationNumber>");
        if (kvn is not null)
        {
            xml.Append("<KeyVersionNumber>").Append(Number("--kvn", kvn)).Append("</KeyVersionNumber>");
        }

        xml.Append("<KekIndex>").Append(Number("--kek-index", kekIndex)).Append("</KekIndex>")
            .Append("</WSGetDiversifiedKeysRequest></soap:Body></soap:Envelope>");
        return Encoding.UTF8.GetBytes(xml.ToString());
    }
}
