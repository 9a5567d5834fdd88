extern alias tsm;

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Portal.Tests;
using Ttp.Portal.Tests.Soap;
using tsm::Ttp.TsmClient;

namespace Ttp.TsmClient.Tests;

/// <summary>
/// One TTP for a test class: the real portal on Kestrel with TLS (SQLite), a TSM "acme-tsm" accredited for the sample
/// cards' issuers (and 000009, which has no key set), its AES-256 KEK as index 1 (TR-31) and index 2 (GP), and the
/// published vectors' master keys as the issuers' key sets. Files for ttp-tsm in a temporary folder: the TTP's server
/// certificate (--ca), the client certificate and key, the KEK files.
/// </summary>
public sealed class ProvisionRig : IAsyncLifetime
{
    public const string Tsm = "acme-tsm";

    /// <summary>An issuer in the TSM's scope with no key set at the TTP.</summary>
    public const string UnknownIssuer = "000009";

    private const string DefaultKey = "404142434445464748494A4B4C4D4E4F";

    private PortalHost? host;

    public string Folder { get; } = Directory.CreateTempSubdirectory("ttp-tsm-").FullName;

    internal PortalHost Host => host ?? throw new InvalidOperationException("not started");

    /// <summary>The TTP's SOAP endpoint.</summary>
    public Uri Endpoint => new(Host.SoapAddress, "soap/v1/KeyDistribution.svc");

    public string CaFile => Path.Combine(Folder, "ttp-server.pem");

    public string ClientCertificateFile => Path.Combine(Folder, "client.pem");

    public string ClientKeyFile => Path.Combine(Folder, "client.key");

    public string KekFile => Path.Combine(AppContext.BaseDirectory, "samples", "tsm", "kek-aes256.json");

    public static string NewKeys(string file) => Path.Combine(AppContext.BaseDirectory, "samples", "tsm", file);

    public async Task InitializeAsync()
    {
        host = new PortalHost();
        using var certificate = TestClientCertificates.Create(Tsm);
        await File.WriteAllTextAsync(ClientCertificateFile, certificate.ExportCertificatePem());
        using (var key = certificate.GetRSAPrivateKey()!)
        {
            await File.WriteAllTextAsync(ClientKeyFile, key.ExportPkcs8PrivateKeyPem());
        }

        await host.RegisterTsmAsync(Tsm, certificate, "000001", "000002", "000003", "000004", UnknownIssuer);
        var kek = Convert.FromHexString(JsonNode.Parse(await File.ReadAllTextAsync(KekFile))!["key"]!.GetValue<string>());
        await host.AddKekAsync(Tsm, 1, KekAlgorithm.Aes256, KekFormat.Tr31, kek);
        await host.AddKekAsync(Tsm, 2, KekAlgorithm.Aes256, KekFormat.GpEncrypted, kek);
        CryptographicOperations.ZeroMemory(kek);

        var aes128 = Convert.FromHexString(DefaultKey);
        var aes256 = Convert.FromHexString("404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F");
        await host.AddKeySetAsync("000001", 1, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, aes128);
        await host.AddKeySetAsync("000002", 1, SecureChannelScheme.Scp02, DiversificationMethod.Visa2, aes128);
        await host.AddKeySetAsync("000003", 1, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, aes128);
        await host.AddKeySetAsync("000004", 1, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, aes256);

        using var server = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(host.DataDirectory, "tls", "server.pfx"), password: null);
        await File.WriteAllTextAsync(CaFile, server.ExportCertificatePem());
    }

    /// <summary>A sample card naming this TTP in 5F50.</summary>
    public JsonObject Card(string file)
    {
        var card = SimulatedCard.Sample(file);
        card["securityDomainManagerUrl"] = Endpoint.ToString();
        return card;
    }

    /// <summary>Runs <c>ttp-tsm provision</c> in process with the rig's files; <paramref name="extra"/> replaces or adds options.</summary>
    public async Task<ClientRun> ProvisionAsync(Uri card, string newKeys, int kekIndex = 1, params string[] extra)
    {
        var options = new Dictionary<string, string?>
        {
            ["--card"] = card.ToString(),
            ["--client-cert"] = ClientCertificateFile,
            ["--client-key"] = ClientKeyFile,
            ["--ca"] = CaFile,
            ["--kek-index"] = kekIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["--kek-file"] = KekFile,
            ["--new-keys"] = NewKeys(newKeys),
        };
        for (var i = 0; i < extra.Length; i += 2)
        {
            options[extra[i]] = extra[i + 1];
        }

        string[] args = ["provision", .. options.Where(o => o.Value is not null).SelectMany(o => new[] { o.Key, o.Value! })];
        return await ClientRun.RunAsync(args);
    }

    public Task DisposeAsync()
    {
        host?.Dispose();
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>One run of ttp-tsm: exit code and what it printed.</summary>
public sealed record ClientRun(int Exit, string Output, string Error)
{
    public static async Task<ClientRun> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await TsmCommandLine.RunAsync(args, output, error);
        return new ClientRun(exit, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {Exit}\n{Output}\n{Error}";
}
