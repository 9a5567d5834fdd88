using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Portal.Tests.Soap;

namespace Ttp.TsmClient.Tests;

/// <summary>
/// The negative paths of the scheme, each with its step, message and exit code, and what the card shows afterwards:
/// nothing changed on it, and no channel was attempted where the keys were already known to be wrong.
/// </summary>
public sealed class ProvisionRefusalTests(ProvisionRig rig) : IClassFixture<ProvisionRig>
{
    // The GlobalPlatform default test key, undiversified (check value 8BAF47, published by GlobalPlatformPro): the keys of a
    // card whose issuer master key is not the one the TTP holds for its IIN.
    private const string DefaultKey = "404142434445464748494A4B4C4D4E4F";

    [Fact]
    public async Task Provision_IssuerWithoutKeySet_ReportsUnknownIssuerWithRequestId()
    {
        var file = rig.Card("scp02-emv.json");
        file["iin"] = ProvisionRig.UnknownIssuer;
        await using var card = await SimulatedCard.StartAsync(file);

        var run = await rig.ProvisionAsync(card.Url, "new-keys-scp02.json");

        Assert.True(run.Exit == 4, run.ToString());
        Assert.Matches("^ttp-tsm: ttp: the TTP refused the request: UnknownIssuer: .* \\(RequestId [0-9a-f-]{36}\\)", run.Error);
        Assert.Equal(0x0005, card.Element.Card.SequenceCounter);
    }

    [Fact]
    public async Task Provision_WrongKekFile_FailsToUnwrapWithoutOpeningChannel()
    {
        await using var card = await SimulatedCard.StartAsync(rig.Card("scp02-emv.json"));
        var kekFile = Path.Combine(rig.Folder, "other-kek.json");
        await File.WriteAllTextAsync(kekFile, $$"""{"algorithm":"aes256","key":"{{Hex.Encode(RandomNumberGenerator.GetBytes(32))}}"}""");

        var run = await rig.ProvisionAsync(card.Url, "new-keys-scp02.json", 1, "--kek-file", kekFile);

        Assert.True(run.Exit == 6, run.ToString());
        Assert.StartsWith("ttp-tsm: unwrap: the TTP wrapped the keys under KEK 1 with check value", run.Error, StringComparison.Ordinal);
        Assert.Contains("no channel attempted", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("channel ", run.Output, StringComparison.Ordinal);
        // No INITIALIZE UPDATE reached the card: its sequence counter is where the card file left it.
        Assert.Equal(0x0005, card.Element.Card.SequenceCounter);
    }

    [Theory]
    [InlineData("scp02-emv.json", DefaultKey)]
    [InlineData("scp03-kdf3-aes128.json", DefaultKey)]
    public async Task Provision_CardOfAnotherMasterKey_SaysCardCryptogramFails(string cardFile, string staticKey)
    {
        var file = rig.Card(cardFile);
        var keys = file["keySets"]![0]!["keys"]!.AsObject();
        keys["enc"] = staticKey;
        keys["mac"] = staticKey;
        keys["dek"] = staticKey;
        await using var card = await SimulatedCard.StartAsync(file);

        var run = await rig.ProvisionAsync(card.Url, cardFile.StartsWith("scp02", StringComparison.Ordinal) ? "new-keys-scp02.json" : "new-keys-aes128.json");

        Assert.True(run.Exit == 7, run.ToString());
        Assert.StartsWith("ttp-tsm: channel: the card cryptogram does not verify: these keys do not open the card's key set KVN 01", run.Error, StringComparison.Ordinal);
        var keySet = Assert.Single(card.Element.Card.KeySets);
        Assert.Equal(staticKey, Hex.Encode(keySet.Enc));
    }

    [Theory]
    [InlineData("scp02-emv.json", "new-keys-scp02.json")]
    [InlineData("scp03-kdf3-aes128.json", "new-keys-aes128.json")]
    public async Task Provision_CardWithAnotherDek_PutKeyRefusedByCard(string cardFile, string newKeys)
    {
        var file = rig.Card(cardFile);
        var keys = file["keySets"]![0]!["keys"]!.AsObject();
        var enc = keys["enc"]!.GetValue<string>();
        keys["dek"] = DefaultKey;
        await using var card = await SimulatedCard.StartAsync(file);

        var run = await rig.ProvisionAsync(card.Url, newKeys);

        Assert.True(run.Exit == 8, run.ToString());
        Assert.StartsWith("ttp-tsm: put-key: PUT KEY: the card answered 6A80 (incorrect data)", run.Error, StringComparison.Ordinal);
        Assert.Contains("channel ", run.Output, StringComparison.Ordinal);
        var keySet = Assert.Single(card.Element.Card.KeySets);
        Assert.Equal((1, enc), (keySet.KeyVersion, Hex.Encode(keySet.Enc)));
    }

    [Fact]
    public async Task Provision_CardNamingAnotherTtp_RefusedBeforeAnyRequestUnlessTtpGiven()
    {
        var requests = 0;
        await using var other = await StartOtherTtpAsync(() => Interlocked.Increment(ref requests));
        var file = rig.Card("scp02-emv.json");
        file["securityDomainManagerUrl"] = new Uri(other.Address, "soap/v1/KeyDistribution.svc").ToString();
        await using var card = await SimulatedCard.StartAsync(file);

        var refused = await rig.ProvisionAsync(card.Url, "new-keys-scp02.json");
        var chosen = await rig.ProvisionAsync(card.Url, "new-keys-scp02.json", 1, "--ttp", rig.Endpoint.ToString());

        Assert.True(refused.Exit == 5, refused.ToString());
        Assert.Contains("does not chain to a certificate of --ca", refused.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was sent", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, requests);
        Assert.True(chosen.Exit == 0, chosen.ToString());
        Assert.Contains($"(--ttp) (the card names {file["securityDomainManagerUrl"]} in 5F50)", chosen.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provision_CardNamingPlainHttpUrl_Refused()
    {
        var file = rig.Card("scp02-emv.json");
        file["securityDomainManagerUrl"] = "http://ttp.example/soap";
        await using var card = await SimulatedCard.StartAsync(file);

        var run = await rig.ProvisionAsync(card.Url, "new-keys-scp02.json");

        Assert.True(run.Exit == 5, run.ToString());
        Assert.Contains("not an https URL: refused; give --ttp URL", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provision_ClientCertificateNotAccredited_HandshakeRefused()
    {
        await using var card = await SimulatedCard.StartAsync(rig.Card("scp02-emv.json"));
        using var stranger = TestClientCertificates.Create("stranger");
        var certificate = Path.Combine(rig.Folder, "stranger.pem");
        await File.WriteAllTextAsync(certificate, stranger.ExportCertificatePem() + "\n" + stranger.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var run = await rig.ProvisionAsync(card.Url, "new-keys-scp02.json", 1, "--client-cert", certificate, "--client-key", null!);

        Assert.True(run.Exit == 5, run.ToString());
        Assert.True(run.Error.Contains("did not accept the client certificate", StringComparison.Ordinal), run.ToString());
    }

    [Fact]
    public async Task Provision_CardNotReachable_ExitsThree()
    {
        var run = await rig.ProvisionAsync(new Uri("http://127.0.0.1:1/apdu"), "new-keys-scp02.json");

        Assert.True(run.Exit == 3, run.ToString());
        Assert.StartsWith("ttp-tsm: card: cannot reach the card at http://127.0.0.1:1/apdu", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provision_KekFileNotJson_NamesFileWithoutItsContent()
    {
        await using var card = await SimulatedCard.StartAsync(rig.Card("scp02-emv.json"));
        var kekFile = Path.Combine(rig.Folder, "broken-kek.json");
        await File.WriteAllTextAsync(kekFile, "{\"algorithm\":\"aes256\",\"key\":\"00112233445566778899AABBCCDDEEFF\"");

        var run = await rig.ProvisionAsync(card.Url, "new-keys-scp02.json", 1, "--kek-file", kekFile);

        Assert.True(run.Exit == 2, run.ToString());
        Assert.StartsWith($"ttp-tsm: input: --kek-file: {kekFile} is not valid JSON", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("00112233", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--kek-index", "0", "--kek-index: expected a number from 1 to 255")]
    [InlineData("--card", "ftp://card", "--card: expected an absolute http or https URL")]
    [InlineData("--security-level", "none", "none")]
    [InlineData("--kvn", "80", "--kvn: expected a key version number from 01 to 7F")]
    [InlineData("--kvn", "1", "--kvn: expected a key version number from 01 to 7F")]
    public async Task Provision_BadArgument_ExitsTwoNamingIt(string option, string value, string message)
    {
        var run = await rig.ProvisionAsync(new Uri("http://127.0.0.1:1/apdu"), "new-keys-scp02.json", 1, option, value);

        Assert.True(run.Exit == 2, run.ToString());
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    // Another TLS server on loopback with its own self-signed certificate: a TTP the TSM does not trust.
    private static async Task<OtherTtp> StartOtherTtpAsync(Action onRequest)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=other-ttp", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        app.Run(context =>
        {
            onRequest();
            return context.Response.WriteAsync("not a TTP");
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new OtherTtp(app, certificate, address);
    }

    private sealed class OtherTtp(WebApplication app, X509Certificate2 certificate, Uri address) : IAsyncDisposable
    {
        public Uri Address { get; } = address;

        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            certificate.Dispose();
        }
    }
}
