using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages;
using Ttp.Portal.Tests.Components.Keks;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Pages;

/// <summary>
/// The dashboard's "Ceremonies" panel over the real domain, on SQLite and PostgreSQL: a Key custodian's tasks, the
/// ceremonies in progress for Security officers (expiring ones highlighted, by the portal's clock), nothing for Operators.
/// </summary>
public sealed class DashboardCeremoniesTests
{
    private const string Iin = "A0000001";
    private static readonly TimeSpan Load = TimeSpan.FromSeconds(15);

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task Dashboard_KeyCustodian_ShowsTheCeremoniesWaitingForThemWithLinks(DatabaseProvider provider)
    {
        await using var domain = await PortalDomain.CreateAsync(KekWorld.Custodian1, StaffRoles.KeyCustodian, provider);
        await domain.AddCeremonyStaffAsync();
        var entered = await OpenAsync(domain, kvn: 1);
        await domain.Ceremonies().EnterComponentAsync(entered.Id, Component(0x11), Kcv(Component(0x11)), Actor.Staff(KekWorld.Custodian1));
        var waiting = await OpenAsync(domain, kvn: 2);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<HomePage>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=ceremony-task]")), Load);
        var task = Assert.Single(cut.FindAll("[data-testid=ceremony-task]"));
        var link = task.QuerySelector("[data-testid=ceremony-task-link]")!;
        Assert.Equal($"ceremonies/{waiting.Id:D}", link.GetAttribute("href"));
        Assert.Equal("Enter component 1 of 2: issuer key A0000001/2", link.TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=ceremony-row]"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task Dashboard_SecurityOfficer_ListsInProgressWithProgressAndHighlightsExpiring(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.SecurityOfficerC, StaffRoles.SecurityOfficer, provider, clock);
        await domain.AddCeremonyStaffAsync();
        var early = await OpenAsync(domain, kvn: 1);
        await domain.Ceremonies().EnterComponentAsync(early.Id, Component(0x11), Kcv(Component(0x11)), Actor.Staff(KekWorld.Custodian1));
        clock.Advance(TimeSpan.FromMinutes(30));
        var late = await OpenAsync(domain, kvn: 2);
        var closed = await OpenAsync(domain, kvn: 3);
        await domain.Ceremonies().AbortAsync(closed.Id, "wrong KVN", Actor.Staff(KekWorld.CeremonyOfficer));
        clock.Advance(TimeSpan.FromMinutes(20).Add(TimeSpan.FromSeconds(30)));
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<HomePage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=ceremony-row]").Count), Load);
        var rows = cut.FindAll("[data-testid=ceremony-row]");
        string Cell(int row, string id) => rows[row].QuerySelector($"[data-testid={id}]")?.TextContent.Trim() ?? $"(no {id})";
        // Newest first: the late one has 39.5 minutes left, the early one 9.5 (shown as 10, rounded up).
        Assert.Equal(("issuer key A0000001/2", "0 of 2", "Open", "(no ceremony-expiring)"),
            (Cell(0, "ceremony-link"), Cell(0, "ceremony-progress"), Cell(0, "ceremony-state"), Cell(0, "ceremony-expiring")));
        Assert.Equal(("issuer key A0000001/1", "1 of 2", "Collecting components", "expires in 10 min"),
            (Cell(1, "ceremony-link"), Cell(1, "ceremony-progress"), Cell(1, "ceremony-state"), Cell(1, "ceremony-expiring")));
        Assert.Equal($"ceremonies/{early.Id:D}", rows[1].QuerySelector("[data-testid=ceremony-link]")!.GetAttribute("href"));
        Assert.Equal(late.ExpiresAt, early.ExpiresAt.AddMinutes(30));
        Assert.Empty(cut.FindAll("[data-testid=ceremony-task]"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Both), MemberType = typeof(TestDatabases))]
    public async Task Dashboard_Operator_NoCeremoniesPanelWhileOneIsInProgress(DatabaseProvider provider)
    {
        await using var domain = await PortalDomain.CreateAsync(PortalDomain.OperatorA, StaffRoles.Operator, provider);
        await domain.AddCeremonyStaffAsync();
        await OpenAsync(domain, kvn: 1);
        domain.Context.Render<MudPopoverProvider>();

        var cut = domain.Context.Render<HomePage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=recent-actions]")), Load);
        Assert.Contains("Ceremony opened", cut.Find("[data-testid=recent-actions]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=dashboard-ceremonies]"));
    }

    private static Task<Ceremony> OpenAsync(PortalDomain domain, int kvn) =>
        domain.Ceremonies().OpenIssuerMasterKeyImportAsync(
            new IssuerKeyImport(Iin, kvn, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11), 16, 2, null, Actor.Staff(KekWorld.CeremonyOfficer));

    private static byte[] Component(byte fill) => Enumerable.Repeat(fill, 16).ToArray();

    private static string Kcv(byte[] key) => Hex.Encode(KeyCheckValue.Des(key));
}
