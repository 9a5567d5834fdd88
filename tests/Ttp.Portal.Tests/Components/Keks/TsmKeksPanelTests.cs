using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Ttp.Domain.Data;
using Ttp.Domain.Keks;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages.Tsms;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Keks;

/// <summary>
/// The "Key-exchange keys" section of a TSM's page over the real domain, on SQLite and PostgreSQL: versions and states,
/// the ceremony that made a version, and the Security officer's activation and retirement (Operators see no action).
/// </summary>
public sealed class TsmKeksPanelTests
{
    private const string Tsm = "acme";

    // The page's first load reads the TSM, its audit trail, the directory and the KEKs: on a loaded machine (PostgreSQL,
    // tests in parallel) that takes longer than bUnit's default wait.
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(15);

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task List_ImportedKekAndCeremonyRotation_ShowsVersionsStatesAndCeremonyLink(DatabaseProvider provider)
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer, provider);
        await domain.AddCeremonyStaffAsync();
        await domain.AddActiveTsmAsync(Tsm);
        var first = await domain.ImportKekAsync(Tsm, 1);
        var second = await domain.MakePendingKekAsync(Tsm, 1);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, Tsm));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=kek-row]").Count), Load);
        var rows = cut.FindAll("[data-testid=kek-row]");
        Assert.Equal(
            ("1", "1", "TDES (2-key, 128 bits)", "TR-31", first.KeyCheckValue, "Active", "- (ttpctl)"),
            (Cell(rows[0], "kek-index"), Cell(rows[0], "kek-version"), Cell(rows[0], "kek-algorithm"), Cell(rows[0], "kek-format"),
                Cell(rows[0], "kek-kcv"), Cell(rows[0], "kek-state"), Cell(rows[0], "kek-no-ceremony")));
        Assert.Equal(("1", "2", second.KeyCheckValue, "Pending activation", "-"),
            (Cell(rows[1], "kek-index"), Cell(rows[1], "kek-version"), Cell(rows[1], "kek-kcv"), Cell(rows[1], "kek-state"), Cell(rows[1], "kek-activated")));
        Assert.Equal($"ceremonies/{second.CeremonyId:D}", rows[1].QuerySelector("[data-testid=kek-ceremony]")!.GetAttribute("href"));
        Assert.Contains("by user:" + KekWorld.CeremonyOfficer, Cell(rows[1], "kek-created"), StringComparison.Ordinal);
        Assert.Empty(rows[0].QuerySelectorAll("[data-testid=kek-ceremony]"));

        // The Security officer's actions: activate the pending version, retire either; no rotation while a version is pending.
        Assert.Equal(["kek-retire"], Buttons(rows[0]));
        Assert.Equal(["kek-activate", "kek-retire"], Buttons(rows[1]));
        Assert.NotNull(cut.Find("[data-testid=kek-new]"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task Actions_Operator_SeesKeksWithoutAnyKekButton(DatabaseProvider provider)
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorB, StaffRoles.Operator, provider);
        await domain.AddCeremonyStaffAsync();
        await domain.AddActiveTsmAsync(Tsm);
        await domain.ImportKekAsync(Tsm, 1);
        await domain.ImportKekAsync(Tsm, 2);
        await domain.MakePendingKekAsync(Tsm, 2);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, Tsm));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=kek-row]").Count), Load);
        Assert.Equal(["Active", "Active", "Pending activation"], cut.FindAll("[data-testid=kek-state]").Select(s => s.TextContent.Trim()));
        foreach (var id in new[] { "kek-retire", "kek-activate", "kek-rotate", "kek-new" })
        {
            Assert.Empty(cut.FindAll($"[data-testid={id}]"));
        }

        Assert.NotNull(cut.Find("[data-testid=tsm-actions]"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task Retire_SecurityOfficerConfirmsActiveKek_WarnedRetiredAndAudited(DatabaseProvider provider)
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer, provider);
        await domain.AddActiveTsmAsync(Tsm);
        await domain.ImportKekAsync(Tsm, 1);
        var dialogs = domain.Context.Render<MudDialogProvider>();
        domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, Tsm));
        cut.WaitForAssertion(() => Assert.Equal("Active", cut.Find("[data-testid=kek-state]").TextContent.Trim()), Load);

        await cut.InvokeAsync(() => cut.Find("[data-testid=kek-retire]").Click());

        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=reason-warning]")), Load);
        Assert.Contains("active KEK of index 1", dialogs.Find("[data-testid=reason-warning]").TextContent, StringComparison.Ordinal);
        Assert.Contains("naming index 1 will be refused", dialogs.Find("[data-testid=reason-warning]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(dialogs.Find("[data-testid=reason-final]"));
        await ConfirmReasonAsync(dialogs, "TSM lost its HSM");

        cut.WaitForAssertion(() => Assert.Equal("Retired", cut.Find("[data-testid=kek-state]").TextContent.Trim()), Load);
        var kek = await domain.KekAsync(Tsm, 1, 1);
        Assert.Equal((KekState.Retired, "user:" + PortalDomain.SecurityOfficerC), (kek.State, kek.RetiredBy));
        Assert.Contains("by user:" + PortalDomain.SecurityOfficerC, cut.Find("[data-testid=kek-retired]").TextContent, StringComparison.Ordinal);
        var record = Assert.Single(await domain.AuditQueries().StaffActionsForSubjectAsync("kek:acme/1"), e => e.Action == "kek.retired");
        Assert.Equal("user:" + PortalDomain.SecurityOfficerC, record.Actor);
        Assert.Contains("TSM lost its HSM", record.Details, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=kek-retire]"));
        Assert.Empty(cut.FindAll("[data-testid=kek-rotate]"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task Activate_SecurityOfficerConfirmsPendingVersion_ActiveAndPreviousVersionRetired(DatabaseProvider provider)
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer, provider);
        await domain.AddCeremonyStaffAsync();
        await domain.AddActiveTsmAsync(Tsm);
        var first = await domain.ImportKekAsync(Tsm, 1);
        await domain.MakePendingKekAsync(Tsm, 1);
        var dialogs = domain.Context.Render<MudDialogProvider>();
        domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, Tsm));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=kek-activate]")), Load);

        await cut.InvokeAsync(() => cut.Find("[data-testid=kek-activate]").Click());

        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=confirm-warning]")), Load);
        Assert.Contains("KEK 1 version 2", dialogs.Find("[data-testid=confirm-message]").TextContent, StringComparison.Ordinal);
        var warning = dialogs.Find("[data-testid=confirm-warning]").TextContent;
        Assert.Contains("retires KEK 1 version 1", warning, StringComparison.Ordinal);
        Assert.Contains(first.KeyCheckValue, warning, StringComparison.Ordinal);
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=confirm]").Click());

        cut.WaitForAssertion(() => Assert.Equal(["Retired", "Active"], cut.FindAll("[data-testid=kek-state]").Select(s => s.TextContent.Trim())), Load);
        var (previous, current) = (await domain.KekAsync(Tsm, 1, 1), await domain.KekAsync(Tsm, 1, 2));
        Assert.Equal((KekState.Retired, "user:" + PortalDomain.SecurityOfficerC), (previous.State, previous.RetiredBy));
        Assert.Equal((KekState.Active, "user:" + PortalDomain.SecurityOfficerC), (current.State, current.ActivatedBy));
        var record = Assert.Single(await domain.AuditQueries().StaffActionsForSubjectAsync("kek:acme/1 v2"), e => e.Action == "kek.activated");
        Assert.Equal("user:" + PortalDomain.SecurityOfficerC, record.Actor);
        Assert.Empty(cut.FindAll("[data-testid=kek-activate]"));
        Assert.Single(cut.FindAll("[data-testid=kek-rotate]"));
    }

    [Fact]
    public async Task RotateAndNew_SecurityOfficer_NavigateToCeremoniesWithTsmAndIndex()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer);
        await domain.AddActiveTsmAsync(Tsm);
        await domain.ImportKekAsync(Tsm, 1);
        await domain.ImportKekAsync(Tsm, 3);
        domain.Context.Render<MudPopoverProvider>();
        var navigation = domain.Context.Services.GetRequiredService<NavigationManager>();
        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, Tsm));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=kek-rotate]").Count), Load);

        await cut.InvokeAsync(() => cut.FindAll("[data-testid=kek-rotate]")[1].Click());
        Assert.Equal("ceremonies?open=kek&tsm=acme&index=3", navigation.ToBaseRelativePath(navigation.Uri));

        await cut.InvokeAsync(() => cut.Find("[data-testid=kek-new]").Click());
        Assert.Equal("ceremonies?open=kek&tsm=acme&index=2", navigation.ToBaseRelativePath(navigation.Uri));
    }

    [Fact]
    public async Task List_TsmWithoutKek_ShowsEmptyText()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer);
        await domain.AddActiveTsmAsync(Tsm);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<TsmDetailsPage>(p => p.Add(x => x.Name, Tsm));

        cut.WaitForAssertion(() => Assert.Contains("no key-exchange key yet", cut.Find("[data-testid=kek-empty]").TextContent, StringComparison.Ordinal), Load);
        Assert.Empty(cut.FindAll("[data-testid=kek-row]"));
        Assert.NotNull(cut.Find("[data-testid=kek-new]"));
    }

    private static string Cell(IElement row, string id) => row.QuerySelector($"[data-testid={id}]")?.TextContent.Trim() ?? $"(no {id})";

    private static string[] Buttons(IElement row) =>
        [.. row.QuerySelectorAll("button[data-testid]").Select(b => b.GetAttribute("data-testid")!)];

    private static async Task ConfirmReasonAsync(IRenderedComponent<MudDialogProvider> dialogs, string reason)
    {
        await dialogs.InvokeAsync(() => dialogs.Find("textarea[data-testid=reason], [data-testid=reason] textarea, input[data-testid=reason]").Input(reason));
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("[data-testid=confirm]").HasAttribute("disabled")), Load);
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=confirm]").Click());
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm]")), Load);
    }
}
