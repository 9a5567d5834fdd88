using Ttp.Domain.KeyRequests;
using Ttp.Domain.Tests.Tsms;
using Ttp.Domain.Tsms;
using static Ttp.Domain.Tests.KeyRequests.KeyRequestTestData;

namespace Ttp.Domain.Tests.KeyRequests;

/// <summary>
/// <see cref="CallerStanding"/>, the one rule by which the TLS handshake (pinned) and the key request (accredited) judge a
/// caller: every state, with the reason a caller that is not accredited is told.
/// </summary>
public sealed class CallerStandingTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_NoTsmHoldsTheCertificate_UnknownNotPinned()
    {
        var standing = CallerStanding.Of(null, Now.AddDays(1), Now);

        Assert.Equal(CallerStandingLevel.Unknown, standing.Level);
        Assert.False(standing.IsPinned);
        Assert.False(standing.IsAccredited);
        Assert.Null(standing.Tsm);
        Assert.Equal("the client certificate is not registered to any TSM of this key server", standing.WhyNotAccredited);
    }

    [Fact]
    public void Of_CurrentCertificateOfActiveTsm_AccreditedAndPinned()
    {
        var (tsm, certificate) = ActiveTsm();

        var standing = CallerStanding.Of(tsm, certificate, certificate.NotAfter, Now);

        Assert.Equal(CallerStandingLevel.Accredited, standing.Level);
        Assert.True(standing.IsPinned);
        Assert.True(standing.IsAccredited);
        Assert.Same(tsm, standing.Tsm);
        Assert.Null(standing.WhyNotAccredited);
    }

    [Fact]
    public void Of_RetiredCertificate_IdentifiedNotPinned_ToldItWasRetired()
    {
        var (tsm, certificate) = ActiveTsm();
        tsm.AddCertificate(CertificateInfo.Read(TestCertificates.Create("CN=successor", Now.AddDays(-1), Now.AddDays(30))), Now.AddHours(-2));
        tsm.RetireCertificate(certificate.Sha256Thumbprint, Now.AddHours(-1), Now.AddHours(-2));

        var standing = CallerStanding.Of(tsm, certificate, certificate.NotAfter, Now);

        Assert.Equal(CallerStandingLevel.Identified, standing.Level);
        Assert.False(standing.IsPinned);
        Assert.Same(tsm, standing.Tsm);
        Assert.StartsWith("the client certificate of TSM 'acme' was retired on ", standing.WhyNotAccredited, StringComparison.Ordinal);
        // Before the retirement moment the same certificate still stands.
        Assert.True(CallerStanding.Of(tsm, certificate, certificate.NotAfter, Now.AddHours(-1).AddTicks(-10)).IsAccredited);
    }

    [Fact]
    public void Of_CertificateNotYetValid_IdentifiedNotPinned()
    {
        var (tsm, certificate) = ActiveTsm();

        var standing = CallerStanding.Of(tsm, certificate, certificate.NotAfter, certificate.NotBefore.AddSeconds(-1));

        Assert.Equal(CallerStandingLevel.Identified, standing.Level);
        Assert.False(standing.IsPinned);
        Assert.StartsWith("the client certificate of TSM 'acme' is not valid before ", standing.WhyNotAccredited, StringComparison.Ordinal);
        Assert.True(CallerStanding.Of(tsm, certificate, certificate.NotAfter, certificate.NotBefore).IsAccredited);
    }

    [Fact]
    public void Of_StoredCertificateExpired_IdentifiedNotPinned()
    {
        var (tsm, certificate) = ActiveTsm();

        var standing = CallerStanding.Of(tsm, certificate, certificate.NotAfter, certificate.NotAfter.AddTicks(10));

        Assert.Equal(CallerStandingLevel.Identified, standing.Level);
        Assert.False(standing.IsPinned);
        Assert.Equal($"the client certificate of TSM 'acme' expired on {certificate.NotAfter:u}", standing.WhyNotAccredited);
        Assert.True(CallerStanding.Of(tsm, certificate, certificate.NotAfter, certificate.NotAfter).IsAccredited);
    }

    [Fact]
    public void Of_PresentedCertificateExpiredBeforeStoredOne_IdentifiedNotPinned_ToldTheEarlierExpiry()
    {
        var (tsm, certificate) = ActiveTsm();
        var presentedNotAfter = Now.AddMinutes(-1);

        var standing = CallerStanding.Of(tsm, certificate, presentedNotAfter, Now);

        Assert.Equal(CallerStandingLevel.Identified, standing.Level);
        Assert.False(standing.IsPinned);
        Assert.Equal($"the client certificate of TSM 'acme' expired on {presentedNotAfter:u}", standing.WhyNotAccredited);
    }

    [Fact]
    public void Of_SuspendedTsm_PinnedNotAccredited()
    {
        var (tsm, certificate) = ActiveTsm();
        tsm.Suspend("audit finding");

        var standing = CallerStanding.Of(tsm, certificate, certificate.NotAfter, Now);

        Assert.Equal(CallerStandingLevel.Pinned, standing.Level);
        Assert.True(standing.IsPinned);
        Assert.False(standing.IsAccredited);
        Assert.Equal("TSM 'acme' is Suspended, not accredited to receive keys", standing.WhyNotAccredited);
    }

    [Fact]
    public void Of_RevokedTsm_IdentifiedNotPinned()
    {
        var (tsm, certificate) = ActiveTsm();
        tsm.Revoke("contract ended");

        var standing = CallerStanding.Of(tsm, certificate, certificate.NotAfter, Now);

        Assert.Equal(CallerStandingLevel.Identified, standing.Level);
        Assert.False(standing.IsPinned);
        Assert.Equal("TSM 'acme' is Revoked, not accredited to receive keys", standing.WhyNotAccredited);
    }

    [Fact]
    public void Of_TsmPendingApprovalOrRejected_IdentifiedNotPinned()
    {
        var pending = Registered();
        var rejected = Registered();
        rejected.Reject(Actor.Staff("b@ttp.test"), "unknown organisation");

        foreach (var tsm in new[] { pending, rejected })
        {
            var certificate = tsm.Certificates[0];
            var standing = CallerStanding.Of(tsm, certificate, certificate.NotAfter, Now);

            Assert.Equal(CallerStandingLevel.Identified, standing.Level);
            Assert.False(standing.IsPinned);
            Assert.Equal($"TSM 'acme' is {tsm.State}, not accredited to receive keys", standing.WhyNotAccredited);
        }
    }

    [Fact]
    public void Of_RetiredCertificateOfSuspendedTsm_TheCertificateIsToldFirst()
    {
        var (tsm, certificate) = ActiveTsm();
        tsm.AddCertificate(CertificateInfo.Read(TestCertificates.Create("CN=successor", Now.AddDays(-1), Now.AddDays(30))), Now.AddHours(-2));
        tsm.RetireCertificate(certificate.Sha256Thumbprint, Now.AddHours(-1), Now.AddHours(-2));
        tsm.Suspend("audit finding");

        var standing = CallerStanding.Of(tsm, certificate, certificate.NotAfter, Now);

        Assert.False(standing.IsPinned);
        Assert.Contains("was retired on", standing.WhyNotAccredited, StringComparison.Ordinal);
    }

    private static Tsm Registered() =>
        Tsm.Register("acme", null, CertificateInfo.Read(TestCertificates.Create("CN=acme", Now.AddDays(-1), Now.AddDays(30))), [Iin], Actor.Staff("a@ttp.test"), Now.AddDays(-1));

    private static (Tsm Tsm, TsmCertificate Certificate) ActiveTsm()
    {
        var tsm = Registered();
        tsm.Approve(Actor.Staff("b@ttp.test"), Now.AddDays(-1));
        return (tsm, tsm.Certificates[0]);
    }
}
