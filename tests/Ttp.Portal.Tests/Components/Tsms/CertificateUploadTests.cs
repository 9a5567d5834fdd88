using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;
using Ttp.Portal.Components.Pages.Tsms;

namespace Ttp.Portal.Tests.Components.Tsms;

/// <summary>The certificate preview of the registration and rotation forms, over the real domain.</summary>
public sealed class CertificateUploadTests
{
    [Fact]
    public async Task Upload_GeneratedCertificate_ShowsSubjectIssuerValidityKeyAndThumbprint()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        var notAfter = new DateTimeOffset(2030, 5, 17, 13, 45, 0, TimeSpan.Zero);
        var der = PortalDomain.Certificate("CN=preview.example, O=Preview TSM", notAfter: notAfter, rsaBits: 2048);
        domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<CertificateUpload>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(der, "tsm.der"));

        cut.WaitForAssertion(() => Assert.Equal("CN=preview.example, O=Preview TSM", cut.Find("[data-testid=certificate-subject]").TextContent));
        Assert.Equal("CN=preview.example, O=Preview TSM", cut.Find("[data-testid=certificate-issuer]").TextContent);
        Assert.Contains("2030-05-17 13:45", cut.Find("[data-testid=certificate-validity]").TextContent, StringComparison.Ordinal);
        Assert.Equal("RSA 2048 bits", cut.Find("[data-testid=certificate-key]").TextContent);
        Assert.Equal(string.Join(':', Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(der)).Chunk(2).Select(c => new string(c))),
            cut.Find("[data-testid=certificate-thumbprint] [data-testid=thumbprint-value]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=certificate-acceptable]"));
        Assert.Empty(cut.FindAll("[data-testid=certificate-problem]"));
    }

    [Fact]
    public async Task Upload_ProblemCertificates_ShowEachValidationMessage()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        var now = DateTimeOffset.UtcNow;
        var taken = PortalDomain.Certificate("CN=taken.example");
        await domain.Tsms.RegisterAsync("owner", null, taken, ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();
        var cases = new (byte[] Der, string Message)[]
        {
            (PortalDomain.Certificate("CN=expired", now.AddDays(-30), now.AddDays(-1)), "Expired on"),
            (PortalDomain.Certificate("CN=server-only", clientAuth: false), "does not allow TLS client authentication (clientAuth)"),
            (PortalDomain.Certificate("CN=weak", rsaBits: 1024), "RSA key of 1024 bits is too weak; at least 2048 bits are required"),
            (taken, "Already registered to TSM 'owner'"),
        };

        foreach (var (der, message) in cases)
        {
            var cut = domain.Context.Render<CertificateUpload>();
            cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(der, "tsm.der"));

            cut.WaitForAssertion(() => Assert.Contains(
                cut.FindAll("[data-testid=certificate-problem]"), p => p.TextContent.Contains(message, StringComparison.Ordinal)));
            Assert.Empty(cut.FindAll("[data-testid=certificate-acceptable]"));
        }
    }

    [Fact]
    public async Task Upload_NotACertificate_ShowsOneSentence()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        var cut = domain.Context.Render<CertificateUpload>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("hello", "tsm.pem"));

        cut.WaitForAssertion(() => Assert.Equal(
            "Expected one X.509 certificate in PEM or DER form.", cut.Find("[data-testid=certificate-error]").TextContent));
    }
}
