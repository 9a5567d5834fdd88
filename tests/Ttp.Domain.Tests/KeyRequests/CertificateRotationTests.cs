using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.Tsms;
using Ttp.Domain.Tsms;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.KeyRequests;

/// <summary>A certificate retired at a future moment (rotation) is pinned and served until then, and not after.</summary>
public sealed class CertificateRotationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task GetDiversifiedKeys_CertificateRetiringLater_ServedUntilThenNotAfter(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await KeyRequestEnvironment.CreateAsync(provider, configure: services => services.AddSingleton<TimeProvider>(clock));
        await env.AddKeySetAsync(Iin, 0xFF, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11, Hex.Parse(Master16, "m"));
        var old = await env.AddTsmAsync("acme", [Iin]);
        await env.AddKekAsync("acme", 1, KekAlgorithm.Tdes2, KekFormat.Tr31, Hex.Parse(Tdes2Kek, "kek"));
        var tsms = env.Services.GetRequiredService<TsmService>();
        var successorDer = TestCertificates.Create("CN=acme successor");
        await tsms.AddCertificateAsync("acme", successorDer, KeyRequestEnvironment.Registrar);
        await env.ApprovePendingAsync("acme");
        using var successorCertificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(successorDer);
        var successor = new KeyRequestCaller(
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(successorDer)), new DateTimeOffset(successorCertificate.NotAfter.ToUniversalTime()), "192.0.2.11");
        var request = Request(KddOpenJavaCard, E0BasicDes);

        await tsms.RetireCertificateAsync("acme", old.CertificateSha256Thumbprint, clock.GetUtcNow().AddHours(1), KeyRequestEnvironment.Registrar);
        await env.Pins.RefreshAsync();

        Assert.True(env.Pins.IsPinned(old.CertificateSha256Thumbprint));
        Assert.True(env.Pins.IsPinned(successor.CertificateSha256Thumbprint));
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, old)).Keys.Count);
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, successor)).Keys.Count);

        // The retirement moment passes.
        clock.Advance(TimeSpan.FromHours(2));
        await env.Pins.RefreshAsync();

        Assert.False(env.Pins.IsPinned(old.CertificateSha256Thumbprint));
        var refused = await Assert.ThrowsAsync<KeyRequestRefusedException>(() => env.KeyRequests.GetDiversifiedKeysAsync(request, old));
        Assert.Equal(KeyDistributionFaultCode.NotAccredited, refused.Code);
        Assert.Contains("was retired on", refused.Message, StringComparison.Ordinal);
        Assert.True(env.Pins.IsPinned(successor.CertificateSha256Thumbprint));
        Assert.Equal(3, (await env.KeyRequests.GetDiversifiedKeysAsync(request, successor)).Keys.Count);
    }

    [Fact]
    public void Pins_RetiredAtLaterThanNow_PinnedUntilThatMoment()
    {
        var now = DateTimeOffset.UtcNow;
        var tsm = Tsm.Register("acme", null, CertificateInfo.Read(TestCertificates.Create("CN=old")), [Iin], Actor.Staff("a@ttp.test"), now);
        tsm.Approve(Actor.Staff("b@ttp.test"), now);
        tsm.AddCertificate(CertificateInfo.Read(TestCertificates.Create("CN=new")), now);
        var old = tsm.Certificates[0];

        tsm.RetireCertificate(old.Sha256Thumbprint, now.AddMinutes(10), now);

        Assert.True(CallerStanding.Of(tsm, old, old.NotAfter, now).IsPinned);
        Assert.True(CallerStanding.Of(tsm, old, old.NotAfter, now.AddMinutes(10).AddTicks(-10)).IsPinned);
        Assert.False(CallerStanding.Of(tsm, old, old.NotAfter, now.AddMinutes(10)).IsPinned);
        Assert.False(CallerStanding.Of(tsm, old, old.NotAfter, now.AddMinutes(11)).IsPinned);
    }
}
