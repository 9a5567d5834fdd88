using AngleSharp.Dom;
using Bunit;
using MudBlazor;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages.Ceremonies;
using Ttp.Portal.Tests.Components.IssuerKeys;
using Ttp.Portal.Tests.Components.Tsms;
using static Ttp.Portal.Tests.Components.Ceremonies.CeremonyStaff;

namespace Ttp.Portal.Tests.Components.Ceremonies;

/// <summary>
/// The ceremony pages over the real domain: the list and the open dialog (Security officers), the component entry
/// (Key custodians; the component never rendered back), confirmation and activation, abort, read-only Auditors.
/// </summary>
public sealed class CeremonyPagesTests
{
    [Fact]
    public async Task List_OfficerWithOpenCeremony_ShowsRowAndOpenButton()
    {
        await using var domain = await CreateAsync(Officer, StaffRoles.SecurityOfficer);
        var opened = await domain.OpenAsync(custodians: [Custodian1, Custodian2]);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<CeremoniesPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=ceremony-row]")));
        var row = cut.Find("[data-testid=ceremony-row]");
        string Cell(string id) => row.QuerySelector($"[data-testid={id}]")!.TextContent.Trim();
        Assert.Equal(
            ("Import issuer master key", "issuer key A0000001/255", "Open", "0 of 2", $"{Custodian1}, {Custodian2}", "-"),
            (Cell("ceremony-kind"), Cell("ceremony-label"), Cell("ceremony-state"), Cell("ceremony-progress"), Cell("ceremony-custodians"), Cell("ceremony-entered-by")));
        Assert.StartsWith("in 60 min", Cell("ceremony-expires"), StringComparison.Ordinal);
        Assert.Equal($"ceremonies/{opened.Id:D}", row.QuerySelector("[data-testid=ceremony-link]")!.GetAttribute("href"));
        Assert.NotNull(cut.Find("[data-testid=ceremonies-open]"));
    }

    [Theory]
    [InlineData(Custodian1, StaffRoles.KeyCustodian)]
    [InlineData(Auditor, StaffRoles.Auditor)]
    public async Task List_NotSecurityOfficer_ShowsRowWithoutOpenButton(string email, string role)
    {
        await using var domain = await CreateAsync(email, role);
        var opened = await domain.OpenAsync();
        await domain.EnterAsync(opened.Id, Component1, Custodian2);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<CeremoniesPage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=ceremony-row]")));
        Assert.Equal("1 of 2", cut.Find("[data-testid=ceremony-progress]").TextContent.Trim());
        Assert.Equal("any custodian", cut.Find("[data-testid=ceremony-custodians]").TextContent.Trim());
        Assert.Equal(Custodian2, cut.Find("[data-testid=ceremony-entered-by]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=ceremonies-open]"));
    }

    [Fact]
    public async Task List_ShowClosed_AbortedCeremonyAppearsOnlyThen()
    {
        await using var domain = await CreateAsync(Auditor, StaffRoles.Auditor);
        var opened = await domain.OpenAsync();
        await domain.Ceremonies().AbortAsync(opened.Id, "wrong KVN", Ttp.Domain.Actor.Staff(Officer));
        domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<CeremoniesPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=ceremonies-none]")));

        await cut.InvokeAsync(() => cut.Find("[data-testid=ceremonies-show-closed] input, input[data-testid=ceremonies-show-closed]").Change(true));

        cut.WaitForAssertion(() => Assert.Equal("Aborted", cut.Find("[data-testid=ceremony-state]").TextContent.Trim()));
    }

    [Fact]
    public async Task OpenDialog_InvalidFields_NamesEachFieldAndOpensNothing()
    {
        await using var domain = await CreateAsync(Officer, StaffRoles.SecurityOfficer);
        var (_, dialogs) = await OpenDialogAsync(domain);

        await dialogs.InvokeAsync(() => Input(dialogs, "iin-input").Input("A00G"));
        await dialogs.InvokeAsync(() => Input(dialogs, "kvn-input").Input("256"));
        await dialogs.InvokeAsync(() => Input(dialogs, "components-input").Input("1"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=open-submit]").Click());

        dialogs.WaitForAssertion(() => Assert.Contains("IIN: enter 2 to 32 hex digits", FieldText(dialogs, "iin-input"), StringComparison.Ordinal));
        Assert.Contains("KVN: enter a number from 0 to 255", FieldText(dialogs, "kvn-input"), StringComparison.Ordinal);
        Assert.Contains("Number of components: enter a number from 2 to 9", FieldText(dialogs, "components-input"), StringComparison.Ordinal);
        Assert.Contains("expires after 60 minutes", dialogs.Find("[data-testid=open-expiry]").TextContent, StringComparison.Ordinal);
        Assert.Empty(await domain.Context.Services.GetService<CeremonyQueries>()!.ListAsync(includeClosed: true));
    }

    [Fact]
    public async Task OpenDialog_KeyAlreadyInCeremony_ShowsRefusalInDialogAndKeepsInput()
    {
        await using var domain = await CreateAsync(Officer, StaffRoles.SecurityOfficer);
        await domain.OpenAsync(kvn: 7);
        var (_, dialogs) = await OpenDialogAsync(domain);

        await dialogs.InvokeAsync(() => Input(dialogs, "iin-input").Input(Iin));
        await dialogs.InvokeAsync(() => Input(dialogs, "kvn-input").Input("7"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=open-submit]").Click());

        dialogs.WaitForAssertion(() => Assert.Contains(
            "A ceremony for issuer-key:A0000001/7 is already in progress", dialogs.Find("[data-testid=open-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal(Iin, Input(dialogs, "iin-input").GetAttribute("value"));
        Assert.Equal("7", Input(dialogs, "kvn-input").GetAttribute("value"));
        Assert.Single(await domain.Context.Services.GetService<CeremonyQueries>()!.ListAsync(includeClosed: true));
    }

    [Fact]
    public async Task OpenDialog_ValidIssuerKey_OpensCeremonyAndGoesToItsPage()
    {
        await using var domain = await CreateAsync(Officer, StaffRoles.SecurityOfficer);
        var (_, dialogs) = await OpenDialogAsync(domain);

        await dialogs.InvokeAsync(() => Input(dialogs, "iin-input").Input("a0000002"));
        await dialogs.InvokeAsync(() => Input(dialogs, "kvn-input").Input("3"));
        await dialogs.InvokeAsync(() => Input(dialogs, "components-input").Input("3"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=open-submit]").Click());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=open-submit]")));
        var summary = Assert.Single(await domain.Context.Services.GetService<CeremonyQueries>()!.ListAsync());
        Assert.EndsWith($"/ceremonies/{summary.Id:D}", domain.Context.Services.GetService<Microsoft.AspNetCore.Components.NavigationManager>()!.Uri, StringComparison.Ordinal);
        Assert.Equal((CeremonyKind.ImportIssuerMasterKey, 3, "user:" + Officer), (summary.Kind, summary.ComponentsExpected, summary.OpenedBy));
    }

    [Fact]
    public async Task OpenDialog_KnownAnswerSample_HalfRefusedWholeCarriedToCeremony()
    {
        await using var domain = await CreateAsync(Officer, StaffRoles.SecurityOfficer);
        var (_, dialogs) = await OpenDialogAsync(domain);
        await dialogs.InvokeAsync(() => Input(dialogs, "iin-input").Input(Iin));
        await dialogs.InvokeAsync(() => Input(dialogs, "kvn-input").Input("4"));
        await dialogs.InvokeAsync(() => Input(dialogs, "sample-kdd-input").Input("0102030405060708090A"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=open-submit]").Click());

        dialogs.WaitForAssertion(() => Assert.Contains("needs both the KDD and the ENC key check value", FieldText(dialogs, "sample-kcv-input"), StringComparison.Ordinal));
        Assert.Empty(await domain.Context.Services.GetService<CeremonyQueries>()!.ListAsync(includeClosed: true));

        await dialogs.InvokeAsync(() => Input(dialogs, "sample-kcv-input").Input("e1 2b 3c"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=open-submit]").Click());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=open-submit]")));
        var summary = Assert.Single(await domain.Context.Services.GetService<CeremonyQueries>()!.ListAsync());
        var ceremony = await domain.Context.Services.GetService<CeremonyService>()!.GetAsync(summary.Id);
        Assert.Equal(("0102030405060708090A", "E12B3C"), (ceremony!.SampleKdd, ceremony.SampleEncKcv));
    }

    [Fact]
    public async Task OpenDialog_GenerateKek_OpensForTheChosenTsmAndIndex()
    {
        await using var domain = await CreateAsync(Officer, StaffRoles.SecurityOfficer);
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate(), [Iin], Ttp.Domain.Actor.Staff(PortalDomain.OperatorA));
        await domain.Tsms.ApproveAsync("acme", PortalDomain.OperatorB, Ttp.Domain.Actor.Staff(PortalDomain.OperatorB));
        var (page, dialogs) = await OpenDialogAsync(domain);

        await ChooseAsync(page, dialogs, "kind-select", "Generate KEK");
        dialogs.WaitForAssertion(() => Assert.NotNull(Input(dialogs, "kek-index-input")));
        Assert.Empty(dialogs.FindAll("input[data-testid=iin-input]"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=open-submit]").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("TSM: choose the TSM the KEK serves", dialogs.Find("[data-testid=open-submit]").Closest(".mud-dialog")!.TextContent, StringComparison.Ordinal));
        await ChooseAsync(page, dialogs, "tsm-select", "acme");
        await dialogs.InvokeAsync(() => Input(dialogs, "kek-index-input").Input("4"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=open-submit]").Click());

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=open-submit]")));
        var summary = Assert.Single(await domain.Context.Services.GetService<CeremonyQueries>()!.ListAsync());
        var ceremony = (await domain.Ceremonies().GetAsync(summary.Id))!;
        Assert.Equal((CeremonyKind.GenerateKek, 4, Ttp.Domain.Keks.KekAlgorithm.Aes128, 2), (ceremony.Kind, ceremony.KekIndex, ceremony.KekAlgorithm, ceremony.ComponentsExpected));
    }

    [Fact]
    public async Task EnterComponent_EligibleCustodian_CeremonyAdvancesAndMarkupHoldsNoComponent()
    {
        await using var domain = await CreateAsync(Custodian1, StaffRoles.KeyCustodian);
        var opened = await domain.OpenAsync();
        var cut = RenderDetails(domain, opened.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("input[data-testid=component-input]")));
        var field = cut.Find("input[data-testid=component-input]");
        Assert.Equal(("password", "off", "false"), (field.GetAttribute("type"), field.GetAttribute("autocomplete"), field.GetAttribute("spellcheck")));

        // Typed in groups of four, as printed on a component sheet: the spaces are ignored.
        var grouped = string.Join(' ', Enumerable.Range(0, 8).Select(i => Component1.Substring(i * 4, 4)));
        await cut.InvokeAsync(() => cut.Find("input[data-testid=component-input]").Input(grouped[..10]));
        cut.WaitForAssertion(() => Assert.Contains("Component: 8 of 32 hex digits", FieldText(cut, "component-input"), StringComparison.Ordinal));
        await cut.InvokeAsync(() => cut.Find("input[data-testid=component-input]").Input(grouped));
        await cut.InvokeAsync(() => cut.Find("input[data-testid=component-kcv-input]").Input(CheckValue(Component1).ToLowerInvariant()));
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=component-submit]").HasAttribute("disabled")));
        await cut.InvokeAsync(() => cut.Find("[data-testid=component-submit]").Click());

        cut.WaitForAssertion(() => Assert.Contains(
            $"Component 1 of 2 entered, check value {CheckValue(Component1)}", cut.Find("[data-testid=component-entered]").TextContent, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.Equal("Collecting components", cut.Find("[data-testid=ceremony-state]").TextContent.Trim()));
        var ceremony = await domain.Ceremonies().GetAsync(opened.Id);
        Assert.Equal((1, CeremonyState.CollectingComponents), (ceremony!.ComponentsReceived, ceremony.State));
        AssertNoComponent(cut.Markup, Component1);
        Assert.Contains("Component entered", cut.Find("[data-testid=ceremony-timeline]").TextContent, StringComparison.Ordinal);

        // The page as the custodian finds it again: no form, the reason instead.
        var again = RenderDetails(domain, opened.Id, again: true);
        again.WaitForAssertion(() => Assert.Contains($"User:{Custodian1} already holds a component of issuer key A0000001/255", again.Find("[data-testid=custodian-not-eligible]").TextContent, StringComparison.Ordinal));
        Assert.Empty(again.FindAll("[data-testid=component-input]"));
        AssertNoComponent(again.Markup, Component1);
    }

    [Fact]
    public async Task EnterComponent_WrongCheckValue_MessageOnFieldAndNothingFolded()
    {
        await using var domain = await CreateAsync(Custodian1, StaffRoles.KeyCustodian);
        var opened = await domain.OpenAsync();
        var cut = RenderDetails(domain, opened.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("input[data-testid=component-input]")));

        await cut.InvokeAsync(() => cut.Find("input[data-testid=component-input]").Input(Component1));
        await cut.InvokeAsync(() => cut.Find("input[data-testid=component-kcv-input]").Input(CheckValue(Component2)));
        await cut.InvokeAsync(() => cut.Find("[data-testid=component-submit]").Click());

        cut.WaitForAssertion(() => Assert.Contains(
            "Component 1: the check value does not match the component; refused.", FieldText(cut, "component-kcv-input"), StringComparison.Ordinal));
        Assert.Equal(string.Empty, cut.Find("input[data-testid=component-input]").GetAttribute("value") ?? string.Empty);
        AssertNoComponent(cut.Markup, Component1);
        Assert.Equal(0, (await domain.Ceremonies().GetAsync(opened.Id))!.ComponentsReceived);
    }

    [Fact]
    public async Task EntryForm_Opener_NotShownWithReason()
    {
        // The officer also holds the Key custodian role, so only the opener rule keeps them out.
        await using var domain = await CreateAsync(Officer, StaffRoles.KeyCustodian);
        var opened = await domain.OpenAsync();

        var cut = RenderDetails(domain, opened.Id);

        cut.WaitForAssertion(() => Assert.Contains($"User:{Officer} opened the ceremony and cannot enter a component of it", cut.Find("[data-testid=custodian-not-eligible]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=component-input]"));
        Assert.Empty(cut.FindAll("[data-testid=component-submit]"));
    }

    [Fact]
    public async Task EntryForm_CustodianNotNamed_NotShownWithReason()
    {
        await using var domain = await CreateAsync(Custodian3, StaffRoles.KeyCustodian);
        var opened = await domain.OpenAsync(custodians: [Custodian1, Custodian2]);

        var cut = RenderDetails(domain, opened.Id);

        cut.WaitForAssertion(() => Assert.Contains("is not one of the ceremony's named custodians", cut.Find("[data-testid=custodian-not-eligible]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=component-input]"));
    }

    [Fact]
    public async Task ConfirmAndActivate_Officer_KeySetCreatedThenActive()
    {
        await using var domain = await CreateAsync(Officer, StaffRoles.SecurityOfficer);
        var opened = await domain.OpenAsync();
        await domain.EnterAsync(opened.Id, Component1, Custodian1);
        await domain.EnterAsync(opened.Id, Component2, Custodian2);
        var dialogs = domain.Context.Render<MudDialogProvider>();
        var cut = RenderDetails(domain, opened.Id);
        cut.WaitForAssertion(() => Assert.Equal("Awaiting confirmation", cut.Find("[data-testid=ceremony-state]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=component-input]"));

        await cut.InvokeAsync(() => cut.Find("input[data-testid=confirm-kcv-input]").Input("000000"));
        await cut.InvokeAsync(() => cut.Find("[data-testid=confirm-submit]").Click());
        cut.WaitForAssertion(() => Assert.Contains("differs from the documented one", FieldText(cut, "confirm-kcv-input"), StringComparison.Ordinal));

        await cut.InvokeAsync(() => cut.Find("input[data-testid=confirm-kcv-input]").Input(CheckValue(Combined())));
        await cut.InvokeAsync(() => cut.Find("[data-testid=confirm-submit]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Completed", cut.Find("[data-testid=ceremony-state]").TextContent.Trim()));
        Assert.Equal("issuer-keys/A0000001/255", cut.Find("[data-testid=ceremony-result-link]").GetAttribute("href"));
        Assert.Equal(IssuerKeySetState.PendingActivation, (await domain.Keys().GetAsync(Iin, 255)).State);
        Assert.Empty(cut.FindAll("[data-testid=abort-ceremony]"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=activate-key]").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Activate key set A0000001/255?", dialogs.Find("[data-testid=confirm-message]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Pending activation", cut.Find("[data-testid=key-state]").TextContent.Trim());
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=confirm]").Click());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=activate-key]")));
        Assert.Equal(IssuerKeySetState.Active, (await domain.Keys().GetAsync(Iin, 255)).State);
        Assert.Equal("Active", cut.Find("[data-testid=key-state]").TextContent.Trim());
        Assert.Contains("Ceremony completed: key created", cut.Find("[data-testid=ceremony-timeline]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfirmAndActivate_GeneratedKek_KekCreatedLinkedToTsmThenActive()
    {
        await using var domain = await CreateAsync(Officer, StaffRoles.SecurityOfficer);
        var opened = await domain.OpenGenerateKekAsync();
        foreach (var custodian in new[] { Custodian1, Custodian2 })
        {
            using (await domain.Ceremonies().ReceiveComponentAsync(opened.Id, Ttp.Domain.Actor.Staff(custodian)))
            {
            }

            await domain.Ceremonies().AcknowledgeComponentAsync(opened.Id, Ttp.Domain.Actor.Staff(custodian));
        }

        var dialogs = domain.Context.Render<MudDialogProvider>();
        var cut = RenderDetails(domain, opened.Id);
        cut.WaitForAssertion(() => Assert.Equal("Awaiting confirmation", cut.Find("[data-testid=ceremony-state]").TextContent.Trim()));
        Assert.Equal("acme", cut.Find("[data-testid=ceremony-tsm]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=receive-component]"));

        var final = (await domain.Ceremonies().GetAsync(opened.Id))!.FinalCheckValue!;
        await cut.InvokeAsync(() => cut.Find("input[data-testid=confirm-kcv-input]").Input(final));
        await cut.InvokeAsync(() => cut.Find("[data-testid=confirm-submit]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Completed", cut.Find("[data-testid=ceremony-state]").TextContent.Trim()));
        Assert.Equal("tsms/acme", cut.Find("[data-testid=ceremony-result-link]").GetAttribute("href"));
        Assert.Equal("Pending activation", cut.Find("[data-testid=key-state]").TextContent.Trim());
        await cut.InvokeAsync(() => cut.Find("[data-testid=activate-key]").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Activate KEK 1 version 1 of TSM acme?", dialogs.Find("[data-testid=confirm-message]").TextContent, StringComparison.Ordinal));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=confirm]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Active", cut.Find("[data-testid=key-state]").TextContent.Trim()));
        var kek = Assert.Single(await domain.Context.Services.GetService<Ttp.Domain.Keks.KekService>()!.ListAsync("acme"));
        Assert.Equal((Ttp.Domain.Keks.KekState.Active, final, (Guid?)opened.Id), (kek.State, kek.KeyCheckValue, kek.CeremonyId));
    }

    [Fact]
    public async Task Abort_OfficerGivesReason_CeremonyAbortedAndFinal()
    {
        await using var domain = await CreateAsync(Officer, StaffRoles.SecurityOfficer);
        var opened = await domain.OpenAsync();
        await domain.EnterAsync(opened.Id, Component1, Custodian1);
        var dialogs = domain.Context.Render<MudDialogProvider>();
        var cut = RenderDetails(domain, opened.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=abort-ceremony]")));

        await cut.InvokeAsync(() => cut.Find("[data-testid=abort-ceremony]").Click());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=reason-final]")));
        await dialogs.InvokeAsync(() => dialogs.Find("textarea[data-testid=reason], [data-testid=reason] textarea, input[data-testid=reason]").Input("custodian 2 unavailable"));
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("[data-testid=confirm]").HasAttribute("disabled")));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=confirm]").Click());

        cut.WaitForAssertion(() => Assert.Equal("Aborted", cut.Find("[data-testid=ceremony-state]").TextContent.Trim()));
        Assert.Equal(CeremonyState.Aborted, (await domain.Ceremonies().GetAsync(opened.Id))!.State);
        Assert.Contains("custodian 2 unavailable", cut.Find("[data-testid=ceremony-timeline]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=abort-ceremony]"));
    }

    [Fact]
    public async Task ReceiveComponent_GeneratedKek_SheetShownOnceThenGoneAfterAcknowledge()
    {
        await using var domain = await CreateAsync(Custodian1, StaffRoles.KeyCustodian);
        var opened = await domain.OpenGenerateKekAsync();
        var cut = RenderDetails(domain, opened.Id);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=receive-component]")));
        Assert.Empty(cut.FindAll("[data-testid=component-input]"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=receive-component]").Click());

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=component-sheet]")));
        var sheet = cut.Find("[data-testid=component-sheet]");
        var grouped = sheet.QuerySelector("[data-testid=sheet-component]")!.TextContent.Trim();
        Assert.Matches("^([0-9A-F]{4} ){7}[0-9A-F]{4}$", grouped);
        var component = Ttp.Crypto.Hex.Parse(grouped.Replace(" ", string.Empty, StringComparison.Ordinal), "component");
        Assert.Equal(
            Ttp.Crypto.Hex.Encode(Ttp.Domain.Keks.KekService.CheckValue(Ttp.Domain.Keks.KekAlgorithm.Aes128, component)),
            sheet.QuerySelector("[data-testid=sheet-kcv]")!.TextContent.Trim());
        var ceremony = (await domain.Ceremonies().GetAsync(opened.Id))!;
        Assert.Equal(ceremony.FinalCheckValue, sheet.QuerySelector("[data-testid=sheet-final-kcv]")!.TextContent.Trim());
        Assert.Equal("1 of 2", sheet.QuerySelector("[data-testid=sheet-number]")!.TextContent.Trim());
        Assert.Equal(opened.Id.ToString("D"), sheet.QuerySelector("[data-testid=sheet-ceremony]")!.TextContent.Trim());
        Assert.Equal(1, ceremony.ComponentsReceived);
        Assert.Empty(cut.FindAll("[data-testid=receive-component]"));

        // Reloaded before acknowledging: the sheet is not shown again, only the acknowledgement.
        var reloaded = RenderDetails(domain, opened.Id, again: true);
        reloaded.WaitForAssertion(() => Assert.NotNull(reloaded.Find("[data-testid=acknowledge-pending]")));
        Assert.Empty(reloaded.FindAll("[data-testid=component-sheet]"));
        AssertNoComponent(reloaded.Markup, grouped.Replace(" ", string.Empty, StringComparison.Ordinal));

        await cut.InvokeAsync(() => cut.Find("[data-testid=sheet-print]").Click());
        Assert.Single(domain.Context.JSInterop.Invocations, i => i.Identifier == "print");
        await cut.InvokeAsync(() => cut.Find("[data-testid=sheet-acknowledge]").Click());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=component-sheet]")));
        AssertNoComponent(cut.Markup, grouped.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=receive-component]"));
        Assert.Empty(cut.FindAll("[data-testid=acknowledge-pending]"));
        Assert.Contains("Component recorded by its custodian", cut.Find("[data-testid=ceremony-timeline]").TextContent, StringComparison.Ordinal);
        var afterwards = RenderDetails(domain, opened.Id, again: true);
        afterwards.WaitForAssertion(() => Assert.NotNull(afterwards.Find("[data-testid=custodian-not-eligible]")));
        Assert.Empty(afterwards.FindAll("[data-testid=component-sheet]"));
        Assert.Empty(afterwards.FindAll("[data-testid=acknowledge-pending]"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Details_Auditor_NoFormsOrButtons(bool awaitingConfirmation)
    {
        await using var domain = await CreateAsync(Auditor, StaffRoles.Auditor);
        var opened = await domain.OpenAsync();
        await domain.EnterAsync(opened.Id, Component1, Custodian1);
        if (awaitingConfirmation)
        {
            await domain.EnterAsync(opened.Id, Component2, Custodian2);
        }

        var cut = RenderDetails(domain, opened.Id);

        cut.WaitForAssertion(() => Assert.Contains("Component entered", cut.Find("[data-testid=ceremony-timeline]").TextContent, StringComparison.Ordinal));
        Assert.Equal(awaitingConfirmation ? "Awaiting confirmation" : "Collecting components", cut.Find("[data-testid=ceremony-state]").TextContent.Trim());
        Assert.Empty(cut.FindAll("button[data-testid]"));
        Assert.Empty(cut.FindAll("input"));
        Assert.Empty(cut.FindAll("[data-testid=custodian-not-eligible]"));
        AssertNoComponent(cut.Markup, Component1);
    }

    // The popover provider of the open dialog's test (MudSelect lists render there).
    private IRenderedComponent<MudPopoverProvider>? Popovers { get; set; }

    private static IRenderedComponent<CeremonyDetailsPage> RenderDetails(PortalDomain domain, Guid id, bool again = false)
    {
        if (!again)
        {
            domain.Context.Render<MudPopoverProvider>();
        }

        return domain.Context.Render<CeremonyDetailsPage>(p => p.Add(x => x.Id, id));
    }

    private async Task<(IRenderedComponent<CeremoniesPage> Page, IRenderedComponent<MudDialogProvider> Dialogs)> OpenDialogAsync(PortalDomain domain)
    {
        var dialogs = domain.Context.Render<MudDialogProvider>();
        Popovers = domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<CeremoniesPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=ceremonies-open]")));
        await cut.InvokeAsync(() => cut.Find("[data-testid=ceremonies-open]").Click());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=open-submit]")));
        return (cut, dialogs);
    }

    // Opens a MudSelect and clicks the item with that text in its popover.
    private async Task ChooseAsync(IRenderedComponent<CeremoniesPage> page, IRenderedComponent<MudDialogProvider> dialogs, string testId, string option)
    {
        var select = dialogs.Find($"[data-testid={testId}]").Closest(".mud-select") ?? dialogs.Find($"[data-testid={testId}]");
        await dialogs.InvokeAsync(() => select.QuerySelector(".mud-input-control, .mud-select-input, input")!.MouseDown());
        page.WaitForAssertion(() => Assert.NotEmpty(Popovers!.FindAll(".mud-popover-open .mud-list-item")));
        await dialogs.InvokeAsync(() => Popovers!.FindAll(".mud-popover-open .mud-list-item").First(i => i.TextContent.Trim() == option).Click());
        page.WaitForAssertion(() => Assert.Empty(Popovers!.FindAll(".mud-popover-open .mud-list-item")));
    }

    private static IElement Input<T>(IRenderedComponent<T> cut, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent => cut.Find($"input[data-testid={testId}]");

    // The field's control, with its label and its message.
    private static string FieldText<T>(IRenderedComponent<T> cut, string testId)
        where T : Microsoft.AspNetCore.Components.IComponent => Input(cut, testId).Closest(".mud-input-control")!.TextContent;

    // Neither the component nor any 8-digit run of it appears, in any case.
    private static void AssertNoComponent(string markup, string componentHex)
    {
        var flat = markup.Replace(" ", string.Empty, StringComparison.Ordinal);
        for (var i = 0; i + 8 <= componentHex.Length; i += 4)
        {
            Assert.DoesNotContain(componentHex.Substring(i, 8), flat, StringComparison.OrdinalIgnoreCase);
        }
    }
}
