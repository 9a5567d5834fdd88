using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;

using Ttp.Tests.Shared;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// The onboarding kit's Python sample (docs/tsm/python/get_keys.py, Debian's python3-zeep and python3-cryptography) run
/// as a process against a test installation: the real portal on Kestrel with mutual TLS, a TSM registered with a client
/// certificate written as PEM files, AES-256 KEKs in TR-31 (index 1) and GP (index 2) format, and issuer key sets with
/// the master keys of published vectors. The sample loads the kit's WSDL file, unwraps, and must print the published
/// check values; a refusal must come out as the fault's code and RequestId with a non-zero exit.
/// </summary>
public sealed partial class TsmKitPythonSampleTests
{
    private const string Python = "/usr/bin/python3";

    // OpenJavaCard/openjavacard-tools SCPDiversificationTest.java (EMV CPS 1.1): master 40..4F, KDD 0102030405060708090A,
    // keys ENC 6438A05A..., MAC 5A9402DD..., DEK ACB4C129...; their DES check values below.
    private const string Scp02Master = "404142434445464748494A4B4C4D4E4F";
    internal const string Scp02Kdd = "0102030405060708090A";
    private static readonly string[] Scp02Keys =
        ["6438A05AC377DF302423BC5E2038FB5B", "5A9402DDABC5B9497BBECE0884929B83", "ACB4C129B3912FB782A4EAEE043BAE95"];
    private static readonly string[] Scp02CheckValues = ["FD8A8F", "5CEAC8", "A20AE0"];

    // GlobalPlatformPro TestPlaintextKeys.java (KDF3, AES-128 master 40..4F, KDD 00010203040506070809): check values.
    private const string Scp03Master = "404142434445464748494A4B4C4D4E4F";
    private const string Scp03Kdd = "00010203040506070809";
    private const string Scp03Template = "E012C00401308810C00402308810C00403308810";
    private static readonly string[] Scp03CheckValues = ["E79C05", "D1BD77", "3FDE8C"];

    private static readonly string[] Usages = ["ENC", "MAC", "DEK"];

    [Theory]
    [InlineData(1, "TR31")]
    [InlineData(2, "GP")]
    public async Task GetKeysPy_PublishedVectors_PrintsPublishedCheckValues(int kekIndex, string format)
    {
        await using var kit = await Installation.StartAsync();

        var scp02 = await kit.RunAsync(Scp02Kdd, SoapWire.Scp02Template, "A0000001", kekIndex);
        var scp03 = await kit.RunAsync(Scp03Kdd, Scp03Template, "A0000003", kekIndex, kvn: "30");

        foreach (var (run, scheme, algorithm, length, checkValues) in new[]
        {
            (scp02, "SCP02", "TDES", 16, Scp02CheckValues),
            (scp03, "SCP03", "AES", 16, Scp03CheckValues),
        })
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(RequestIdLine(), run.Output);
            Assert.Contains($"Scheme: {scheme}", run.Output, StringComparison.Ordinal);
            Assert.Contains($"Format: {format}\n", run.Output, StringComparison.Ordinal);
            Assert.Contains($"KEK: index {kekIndex}, check value {kit.KekCheckValue}", run.Output, StringComparison.Ordinal);
            for (var i = 0; i < Usages.Length; i++)
            {
                Assert.Contains(
                    $"{Usages[i]}: key id {i + 1}, {algorithm}, {length} bytes, check value {checkValues[i]} (matches)", run.Output, StringComparison.Ordinal);
            }

            kit.AssertNoKeyIn(run);
        }
    }

    [Fact]
    public async Task GetKeysPy_Soap12_PrintsPublishedCheckValues()
    {
        await using var kit = await Installation.StartAsync();

        var run = await kit.RunAsync(Scp03Kdd, Scp03Template, "A0000003", kekIndex: 1, kvn: "30", extra: ["--soap", "1.2"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"ENC: key id 1, AES, 16 bytes, check value {Scp03CheckValues[0]} (matches)", run.Output, StringComparison.Ordinal);
        kit.AssertNoKeyIn(run);
    }

    [Fact]
    public async Task GetKeysPy_IssuerOutsideScope_PrintsScopeDeniedWithRequestIdAndExitsNonZero()
    {
        await using var kit = await Installation.StartAsync();

        var run = await kit.RunAsync(Scp02Kdd, SoapWire.Scp02Template, "A0000002", kekIndex: 1);

        Assert.Equal(4, run.ExitCode);
        Assert.Matches(ScopeDeniedLine(), run.Error);
        Assert.DoesNotContain("RequestId:", run.Output, StringComparison.Ordinal);
        kit.AssertNoKeyIn(run);
    }

    [Fact]
    public async Task GetKeysPy_WrongKekFile_ExitsSixNamingBothCheckValues()
    {
        await using var kit = await Installation.StartAsync();
        var other = RandomNumberGenerator.GetBytes(32);
        var otherFile = kit.WriteKekFile("other-kek.json", other);

        var run = await kit.RunAsync(Scp02Kdd, SoapWire.Scp02Template, "A0000001", kekIndex: 2, kekFile: otherFile);

        Assert.Equal(6, run.ExitCode);
        Assert.Contains($"check value {kit.KekCheckValue}, the --kek-file key has check value {AesCheckValue(other)}", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(matches)", run.Output, StringComparison.Ordinal);
        kit.AssertNoKeyIn(run, Convert.ToHexString(other));
    }

    [Fact]
    public async Task GetKeysPy_ServerNotChainingToCa_RefusedWithNothingSent()
    {
        await using var kit = await Installation.StartAsync();
        using var other = TestClientCertificates.CreateAuthority("not the TTP");
        var otherCa = kit.WriteCertificate("other-ca", other).Certificate;

        var run = await kit.RunAsync(Scp02Kdd, SoapWire.Scp02Template, "A0000001", kekIndex: 1, ca: otherCa);

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("does not chain to --ca or does not name its host; nothing was sent", run.Error, StringComparison.Ordinal);
        Assert.Empty(await SoapWire.KeyRequestRecordsAsync(kit.Host, "acme"));
    }

    [GeneratedRegex(@"^RequestId: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", RegexOptions.Multiline)]
    private static partial Regex RequestIdLine();

    [GeneratedRegex(@"^ScopeDenied: \S.* \(RequestId [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\)$", RegexOptions.Multiline)]
    private static partial Regex ScopeDeniedLine();

    private static string AesCheckValue(byte[] key)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToHexString(aes.EncryptEcb(Enumerable.Repeat((byte)1, 16).ToArray(), PaddingMode.None)[..3]);
    }

    internal sealed record Run(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    /// <summary>A test installation and the files a TSM holds for it (PEM certificate and key, the server's certificate, KEK file).</summary>
    internal sealed class Installation : IAsyncDisposable
    {
        private readonly byte[] _kek = RandomNumberGenerator.GetBytes(32);
        private readonly string _folder = Directory.CreateTempSubdirectory("ttp-tsm-kit-").FullName;
        private X509Certificate2? _certificate;
        private (string Certificate, string Key) _certificateFiles;
        private string _caFile = string.Empty;
        private string _kekFile = string.Empty;

        public PortalHost Host { get; } = new();

        public string KekCheckValue => AesCheckValue(_kek);

        public static async Task<Installation> StartAsync()
        {
            var kit = new Installation();
            await kit.SetUpAsync();
            return kit;
        }

        private async Task SetUpAsync()
        {
            _certificate = TestClientCertificates.Create("acme");
            await Host.RegisterTsmAsync("acme", _certificate, "A0000001", "A0000003");
            await Host.AddKekAsync("acme", 1, KekAlgorithm.Aes256, KekFormat.Tr31, _kek);
            await Host.AddKekAsync("acme", 2, KekAlgorithm.Aes256, KekFormat.GpEncrypted, _kek);
            await Host.AddKeySetAsync("A0000001", 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Convert.FromHexString(Scp02Master));
            await Host.AddKeySetAsync("A0000003", 0x30, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, Convert.FromHexString(Scp03Master));

            _certificateFiles = WriteCertificate("acme", _certificate);
            // The server's (self-signed) certificate is what the TSM trusts: --ca.
            using var server = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(Host.DataDirectory, "tls", "server.pfx"), password: null);
            _caFile = Path.Combine(_folder, "ttp-server.pem");
            await File.WriteAllTextAsync(_caFile, server.ExportCertificatePem());
            _kekFile = WriteKekFile("kek.json", _kek);
        }

        public (string Certificate, string Key) WriteCertificate(string name, X509Certificate2 certificate)
        {
            var certificateFile = Path.Combine(_folder, name + ".pem");
            var keyFile = Path.Combine(_folder, name + ".key");
            File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
            using var key = certificate.GetRSAPrivateKey()!;
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
            return (certificateFile, keyFile);
        }

        public string WriteKekFile(string name, byte[] key)
        {
            var path = Path.Combine(_folder, name);
            File.WriteAllText(path, JsonSerializer.Serialize(new { algorithm = "aes256", key = Convert.ToHexString(key) }));
            return path;
        }

        public async Task<Run> RunAsync(
            string kdd, string e0, string iin, int kekIndex, string? kvn = null, string? kekFile = null,
            (string Certificate, string Key)? certificate = null, string[]? extra = null, string? ca = null)
        {
            var root = Repository.Root;
            var (certificateFile, keyFile) = certificate ?? _certificateFiles;
            var start = new ProcessStartInfo(Python)
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(root, "docs", "tsm", "python", "get_keys.py"));
            foreach (var argument in new[]
            {
                "--endpoint", new Uri(Host.SoapAddress, SoapWire.Path).ToString(),
                "--client-cert", certificateFile, "--client-key", keyFile, "--ca", ca ?? _caFile,
                "--kdd", kdd, "--e0", e0, "--iin", iin, "--kek-index", kekIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--kek-file", kekFile ?? _kekFile,
            })
            {
                start.ArgumentList.Add(argument);
            }

            if (kvn is not null)
            {
                start.ArgumentList.Add("--kvn");
                start.ArgumentList.Add(kvn);
            }

            foreach (var argument in extra ?? [])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return new Run(process.ExitCode, await output, await error);
        }

        /// <summary>No 8-hex-digit piece of any key (the KEK, the masters, the published SCP02 keys) in what the sample printed.</summary>
        public void AssertNoKeyIn(Run run, params string[] moreKeys)
        {
            var printed = (run.Output + run.Error).ToUpperInvariant();
            foreach (var key in new[] { Convert.ToHexString(_kek), Scp02Master, Scp03Master }.Concat(Scp02Keys).Concat(moreKeys))
            {
                for (var i = 0; i + 8 <= key.Length; i += 8)
                {
                    Assert.DoesNotContain(key.Substring(i, 8), printed, StringComparison.Ordinal);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            _certificate?.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
