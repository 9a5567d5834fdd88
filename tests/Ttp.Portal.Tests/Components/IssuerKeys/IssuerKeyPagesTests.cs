using Bunit;
using MudBlazor;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages.IssuerKeys;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.IssuerKeys;

/// <summary>The issuer key pages over the real domain: the list, the life cycle a Security officer drives, read-only Auditors, damage.</summary>
public sealed class IssuerKeyPagesTests
{
    private const string Iin = "A0000001";

    [Fact]
    public async Task List_TwoIssuers_ShowsAttributesAndStates()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer);
        var active = await IssuerKeySets.AddAsync(domain, Iin, 1);
        await IssuerKeySets.AddAsync(domain, "A0000002", 255, activate: false);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<IssuerKeysPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=issuer-key-row]").Count));
        var rows = cut.FindAll("[data-testid=issuer-key-row]");
        string Cell(int row, string id) => rows[row].QuerySelector($"[data-testid={id}]")!.TextContent.Trim();
        Assert.Equal(
            (Iin, "1", "SCP02", "EMV CPS 1.1", "128 bits (TDES2)", active.KeyCheckValue, "Active"),
            (Cell(0, "issuer-key-link"), Cell(0, "issuer-key-kvn"), Cell(0, "issuer-key-scheme"), Cell(0, "issuer-key-method"),
                Cell(0, "issuer-key-length"), Cell(0, "issuer-key-kcv"), Cell(0, "issuer-key-state")));
        Assert.Equal(6, active.KeyCheckValue.Length);
        Assert.Equal(("A0000002", "255", "Pending activation"), (Cell(1, "issuer-key-link"), Cell(1, "issuer-key-kvn"), Cell(1, "issuer-key-state")));
        Assert.Equal("issuer-keys/A0000002/255", rows[1].QuerySelector("[data-testid=issuer-key-link]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task SuspendReinstateRetire_SecurityOfficerConfirms_StatesFollowRetiredIsFinal()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer);
        await IssuerKeySets.AddAsync(domain, Iin, 1);
        await IssuerKeySets.AddAsync(domain, Iin, 2);
        var dialogs = domain.Context.Render<MudDialogProvider>();
        domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<IssuerKeyDetailsPage>(p => p.Add(x => x.Iin, Iin).Add(x => x.Kvn, 1));
        cut.WaitForAssertion(() => Assert.Equal("Active", State(cut)));

        await cut.InvokeAsync(() => cut.Find("[data-testid=issuer-key-suspend]").Click());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=confirm]")));
        Assert.Contains("Key requests no longer use it", dialogs.Find("[data-testid=reason-message]").TextContent, StringComparison.Ordinal);
        Assert.Empty(dialogs.FindAll("[data-testid=reason-warning]"));
        Assert.Empty(dialogs.FindAll("[data-testid=reason-final]"));
        await ConfirmAsync(dialogs, "custodian left");
        cut.WaitForAssertion(() => Assert.Equal("Suspended", State(cut)));
        Assert.Equal(IssuerKeySetState.Suspended, (await domain.Keys().GetAsync(Iin, 1)).State);
        Assert.Contains("custodian left", cut.Find("[data-testid=issuer-key-timeline]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Find("[data-testid=issuer-key-reinstate]").Click());
        await ConfirmAsync(dialogs, "custodian replaced");
        cut.WaitForAssertion(() => Assert.Equal("Active", State(cut)));

        await cut.InvokeAsync(() => cut.Find("[data-testid=issuer-key-retire]").Click());
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=reason-final]")));
        Assert.Contains("cannot be undone", dialogs.Find("[data-testid=reason-final]").TextContent, StringComparison.Ordinal);
        await ConfirmAsync(dialogs, "replaced by KVN 2");

        cut.WaitForAssertion(() => Assert.Equal("Retired", State(cut)));
        Assert.Equal(IssuerKeySetState.Retired, (await domain.Keys().GetAsync(Iin, 1)).State);
        Assert.Empty(cut.FindAll("[data-testid=issuer-key-actions]"));
        Assert.Empty(cut.FindAll("button[data-testid]"));
        var timeline = cut.Find("[data-testid=issuer-key-timeline]").TextContent;
        var codes = cut.FindAll("[data-testid=issuer-key-timeline] [data-testid=audit-action]").Select(e => e.GetAttribute("data-code")).ToList();
        foreach (var action in new[] { "issuer-key.retired", "issuer-key.reinstated", "issuer-key.suspended", "issuer-key.activated", "issuer-key.imported" })
        {
            Assert.Contains(action, codes);
        }

        Assert.Contains("Issuer key set reinstated", timeline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retire_LastActiveSetOfItsIssuer_DialogWarnsKeyRequestsRefused()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer);
        await IssuerKeySets.AddAsync(domain, Iin, 1);
        await IssuerKeySets.AddAsync(domain, Iin, 2, activate: false);
        var dialogs = domain.Context.Render<MudDialogProvider>();
        domain.Context.Render<MudPopoverProvider>();
        var cut = domain.Context.Render<IssuerKeyDetailsPage>(p => p.Add(x => x.Iin, Iin).Add(x => x.Kvn, 1));
        cut.WaitForAssertion(() => Assert.Equal("Active", State(cut)));

        await cut.InvokeAsync(() => cut.Find("[data-testid=issuer-key-retire]").Click());

        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=reason-warning]")));
        Assert.Equal(
            $"This is the last active key set of issuer {Iin}: key requests for that issuer will be refused.",
            dialogs.Find("[data-testid=reason-warning]").TextContent.Trim());
        Assert.NotNull(dialogs.Find("[data-testid=reason-final]"));
        await cut.InvokeAsync(() => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click());
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm]")));
        Assert.Equal(IssuerKeySetState.Active, (await domain.Keys().GetAsync(Iin, 1)).State);
    }

    [Fact]
    public async Task Details_Auditor_ReadOnlyWithTimeline()
    {
        await using var domain = await PortalDomain.CreateAsync("auditor@ttp.example", StaffRoles.Auditor);
        await IssuerKeySets.AddAsync(domain, Iin, 1);
        await domain.Keys().SuspendAsync(Iin, 1, Ttp.Domain.Actor.System, "test");
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<IssuerKeyDetailsPage>(p => p.Add(x => x.Iin, Iin).Add(x => x.Kvn, 1));

        cut.WaitForAssertion(() => Assert.Equal("Suspended", State(cut)));
        Assert.Empty(cut.FindAll("[data-testid=issuer-key-actions]"));
        Assert.Empty(cut.FindAll("button[data-testid]"));
        Assert.Empty(cut.FindAll("[data-testid=issuer-key-damaged]"));
        Assert.Contains("Issuer key set suspended", cut.Find("[data-testid=issuer-key-timeline]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Details_MethodChangedInSql_ShowsDamaged()
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer);
        await IssuerKeySets.AddAsync(domain, Iin, 1);
        domain.Context.Render<MudPopoverProvider>();
        var clean = domain.Context.Render<IssuerKeyDetailsPage>(p => p.Add(x => x.Iin, Iin).Add(x => x.Kvn, 1));
        clean.WaitForAssertion(() => Assert.Equal("Active", State(clean)));
        Assert.Empty(clean.FindAll("[data-testid=issuer-key-damaged]"));

        Assert.Equal(1, await domain.ExecuteSqlAsync("UPDATE issuer_key_sets SET method = 0"));
        var cut = domain.Context.Render<IssuerKeyDetailsPage>(p => p.Add(x => x.Iin, Iin).Add(x => x.Kvn, 1));

        cut.WaitForAssertion(() => Assert.Equal("Damaged", cut.Find("[data-testid=issuer-key-damaged]").TextContent.Trim()));
        Assert.Contains("Integrity failure", cut.Find("[data-testid=issuer-key-integrity]").TextContent, StringComparison.Ordinal);
        Assert.Equal("None (static keys)", cut.Find("[data-testid=issuer-key-method]").TextContent.Trim());
    }

    [Fact]
    public async Task Details_UnknownKvn_SaysNotFound()
    {
        await using var domain = await PortalDomain.CreateAsync("auditor@ttp.example", StaffRoles.Auditor);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<IssuerKeyDetailsPage>(p => p.Add(x => x.Iin, Iin).Add(x => x.Kvn, 7));

        cut.WaitForAssertion(() => Assert.Contains("no key set for issuer A0000001 with KVN 7", cut.Find("[data-testid=issuer-key-not-found]").TextContent, StringComparison.Ordinal));
    }

    private static string State(IRenderedComponent<IssuerKeyDetailsPage> cut) => cut.Find("[data-testid=issuer-key-state]").TextContent.Trim();

    private static async Task ConfirmAsync(IRenderedComponent<MudDialogProvider> dialogs, string reason)
    {
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=confirm]")));
        await dialogs.InvokeAsync(() => dialogs.Find("textarea[data-testid=reason], [data-testid=reason] textarea, input[data-testid=reason]").Input(reason));
        dialogs.WaitForAssertion(() => Assert.False(dialogs.Find("[data-testid=confirm]").HasAttribute("disabled")));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=confirm]").Click());
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=confirm]")));
    }
}
