using System.Security.Cryptography;
using Ttp.Portal.Tests.Management;

namespace Ttp.Portal.Tests.Soap;

/// <summary>
/// The onboarding kit's troubleshooting of a refused handshake (docs/tsm/README.md), checked with the Python sample: what
/// the TSM sees (exit 5, the connection ended without an answer), what the operator sees (the log line naming the
/// certificate's thumbprint, the refusal counter on /metrics).
/// </summary>
/// <remarks>In <see cref="MetricsCollection"/>: meters are process-wide, so a test that reads a counter runs alone.</remarks>
[Collection(MetricsCollection.Name)]
public sealed class TsmKitHandshakeRefusalTests
{
    [Fact]
    public async Task GetKeysPy_UnregisteredCertificate_RefusedInHandshakeLoggedAndCounted()
    {
        await using var kit = await TsmKitPythonSampleTests.Installation.StartAsync();
        using var stranger = TestClientCertificates.Create("stranger");
        var (certificateFile, keyFile) = kit.WriteCertificate("stranger", stranger);
        using var management = kit.Host.CreateManagementClient();
        var before = await PrometheusText.ScrapeAsync(management);

        var run = await kit.RunAsync(TsmKitPythonSampleTests.Scp02Kdd, SoapWire.Scp02Template, "A0000001", kekIndex: 1, certificate: (certificateFile, keyFile));

        Assert.Equal(5, run.ExitCode);
        Assert.StartsWith("get_keys: the TTP at ", run.Error, StringComparison.Ordinal);
        Assert.Contains("did not accept the client certificate", run.Error, StringComparison.Ordinal);
        // What the operator sees (docs/tsm/README.md, "Troubleshooting handshake refusals"): the thumbprint and the reason.
        var thumbprint = Convert.ToHexString(stranger.GetCertHash(HashAlgorithmName.SHA256));
        Assert.Contains(kit.Host.Log.Lines, line => line.Message == $"Client certificate {thumbprint} refused: not pinned to an accredited TSM");
        var after = await PrometheusText.ScrapeAsync(management);
        Assert.True(after.Sum("ttp_tls_handshake_refusals_total") > before.Sum("ttp_tls_handshake_refusals_total"), after.Text);
    }
}
