using System.Security.Cryptography;
using Bunit;
using MudBlazor;
using Ttp.Domain;
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;
using Ttp.Portal.Components.Pages.Tsms;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Forms;

/// <summary>
/// The TSM forms over the real domain: fields checked by the domain's rules in place, a server refusal on the field or in
/// one alert with the input kept, dialogs open until the domain accepts, the Approve summary, the paste-PEM field.
/// </summary>
public sealed class TsmFormsTests
{
    [Fact]
    public async Task Register_NothingEntered_ButtonDisabledAndSaysWhy()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<RegisterTsmPage>();

        Assert.True(cut.Find("[data-testid=tsm-save]").HasAttribute("disabled"));
        Assert.Equal("Enter a name to register the TSM.", cut.Find("[data-testid=tsm-save-why]").TextContent);
        cut.Find("[data-testid=tsm-name]").Input("acme");
        cut.WaitForAssertion(() => Assert.Equal("Choose the TSM's client certificate, or paste it as PEM.", cut.Find("[data-testid=tsm-save-why]").TextContent));
    }

    [Fact]
    public async Task Register_PastedPem_PreviewShownAndRegisterEnabled()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        domain.Context.Render<MudPopoverProvider>();
        var der = PortalDomain.Certificate("CN=pasted.example");
        var cut = domain.Context.Render<RegisterTsmPage>();

        cut.Find("[data-testid=tsm-name]").Input("acme");
        cut.Find("[data-testid=certificate-file-pem]").Change(PemEncoding.WriteString("CERTIFICATE", der));

        cut.WaitForAssertion(() => Assert.Equal("CN=pasted.example", cut.Find("[data-testid=certificate-subject]").TextContent));
        Assert.NotNull(cut.Find("[data-testid=certificate-acceptable]"));
        Assert.False(cut.Find("[data-testid=tsm-save]").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("[data-testid=tsm-save-why]"));
    }

    [Fact]
    public async Task Register_BadPem_MessageOnTheField()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<RegisterTsmPage>();

        cut.Find("[data-testid=certificate-file-pem]").Change("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----");

        cut.WaitForAssertion(() => Assert.Contains("Expected one X.509 certificate in PEM or DER form.", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=certificate-preview]"));
    }

    [Fact]
    public async Task Register_BadIssuerTyped_DomainMessageOnTheField()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<RegisterTsmPage>();

        cut.Find("[data-testid=tsm-issuers]").Change("A0000001, XYZ");

        cut.WaitForAssertion(() => Assert.Contains("Issuer 'XYZ': expected an IIN of 1 to 16 bytes in hex", cut.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Register_NameTaken_RefusalShownAndInputKept()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate("CN=first"), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<RegisterTsmPage>();
        cut.Find("[data-testid=tsm-name]").Input("acme");
        cut.Find("[data-testid=tsm-organisation]").Change("Second ACME");
        cut.Find("[data-testid=tsm-issuers]").Change("A0000002");
        cut.Find("[data-testid=certificate-file-pem]").Change(PemEncoding.WriteString("CERTIFICATE", PortalDomain.Certificate("CN=second")));
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=tsm-save]").HasAttribute("disabled")));

        await cut.InvokeAsync(() => cut.Find("[data-testid=tsm-save]").Click());

        cut.WaitForAssertion(() => Assert.Equal("A TSM named 'acme' already exists.", cut.Find("[data-testid=tsm-refusal]").TextContent));
        Assert.Equal("acme", cut.Find("[data-testid=tsm-name]").GetAttribute("value"));
        Assert.Equal("Second ACME", cut.Find("[data-testid=tsm-organisation]").GetAttribute("value"));
        Assert.Equal("CN=second", cut.Find("[data-testid=certificate-subject]").TextContent);
        Assert.Single(await domain.Tsms.ListAsync());
    }

    [Fact]
    public async Task EditScope_BadIin_DialogStaysOpenWithMessageOnTheField()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorB, StaffRoles.Operator);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate(), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();
        var dialogs = domain.Context.Render<MudDialogProvider>();
        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, "acme"));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=tsm-edit-scope]")));
        await cut.InvokeAsync(() => cut.Find("[data-testid=tsm-edit-scope]").Click());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=scope-issuers]")));

        dialogs.Find("[data-testid=scope-issuers]").Input("A0000001, NOTHEX");
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=scope-save]").Click());

        dialogs.WaitForAssertion(() => Assert.Contains("Issuer 'NOTHEX': expected an IIN", dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal("A0000001, NOTHEX", dialogs.Find("[data-testid=scope-issuers]").TextContent.Trim() is { Length: > 0 } text ? text : dialogs.Find("[data-testid=scope-issuers]").GetAttribute("value"));
        Assert.Equal(["A0000001"], (await domain.Tsms.GetAsync("acme")).Scope.Select(s => s.Iin));

        dialogs.Find("[data-testid=scope-issuers]").Input("A0000001");
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=scope-rate-limit]").Input("5"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=scope-save]").Click());
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=scope-issuers]")));
        Assert.Equal(5, (await domain.Tsms.GetAsync("acme")).RateLimitPerSecond);
    }

    [Fact]
    public async Task Approve_SecondOperator_SummaryThenApproved()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorB, StaffRoles.Operator);
        var der = PortalDomain.Certificate("CN=summary.example");
        await domain.Tsms.RegisterAsync(new TsmRegistration("acme", "ACME Wallets", ["A0000001", "A0000002"], null, 25), der, Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();
        var dialogs = domain.Context.Render<MudDialogProvider>();
        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, "acme"));
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=tsm-approve]").HasAttribute("disabled")));

        await cut.InvokeAsync(() => cut.Find("[data-testid=tsm-approve]").Click());

        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=approve-summary]")));
        Assert.Equal("acme", dialogs.Find("[data-testid=approve-name]").TextContent);
        Assert.Equal("ACME Wallets", dialogs.Find("[data-testid=approve-organisation]").TextContent);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(der)),
            dialogs.Find("[data-testid=approve-thumbprint]").TextContent.Replace(":", string.Empty, StringComparison.Ordinal).Trim(), ignoreCase: true);
        Assert.Equal("A0000001, A0000002", dialogs.Find("[data-testid=approve-scope]").TextContent);
        Assert.Equal("25 requests per second", dialogs.Find("[data-testid=approve-rate-limit]").TextContent);
        Assert.Equal(TsmState.PendingApproval, (await domain.Tsms.GetAsync("acme")).State);

        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=approve-confirm]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Active", cut.Find("[data-testid=tsm-state]").TextContent.Trim()));
        Assert.Empty(dialogs.FindAll("[data-testid=approve-summary]"));
    }

    [Fact]
    public async Task Reason_RefusedByTheDomain_DialogStaysOpenWithTheReason()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorB, StaffRoles.Operator);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate(), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        domain.Context.Render<MudPopoverProvider>();
        var dialogs = domain.Context.Render<MudDialogProvider>();
        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, "acme"));
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=tsm-reject]").HasAttribute("disabled")));
        await cut.InvokeAsync(() => cut.Find("[data-testid=tsm-reject]").Click());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=reason]")));

        // Meanwhile another Operator rejects it: the domain refuses this rejection.
        await domain.Tsms.RejectAsync("acme", PortalDomain.OperatorB, "rejected elsewhere", Actor.Staff(PortalDomain.OperatorB));
        dialogs.Find("[data-testid=reason]").Input("wrong organisation");
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=confirm]").Click());

        dialogs.WaitForAssertion(() => Assert.StartsWith("TSM 'acme' is Rejected", dialogs.Find("[data-testid=dialog-refusal]").TextContent, StringComparison.Ordinal));
        Assert.EndsWith(".", dialogs.Find("[data-testid=dialog-refusal]").TextContent, StringComparison.Ordinal);
        Assert.Equal("wrong organisation", dialogs.Find("[data-testid=reason]").TextContent.Trim() is { Length: > 0 } text ? text : dialogs.Find("[data-testid=reason]").GetAttribute("value"));
    }
}
