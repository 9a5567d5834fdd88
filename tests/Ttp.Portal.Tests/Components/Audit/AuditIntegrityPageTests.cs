using System.Security.Cryptography;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Staff;
using Ttp.Portal.Components.Pages.Audit;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Audit;

/// <summary>
/// The audit integrity page over the real domain and a real SQLite database: the public key the signing key gives, a
/// stored key damaged with SQL named as such, a cut tail named against its checkpoint, a verification run from the page.
/// </summary>
public sealed class AuditIntegrityPageTests
{
    private const string Auditor = "auditor@ttp.example";

    // The page polls the background verification's row every second.
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Render_VerificationRunning_ShowsItsProgressOnEveryLoadAndRefusesASecondStart()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        await ImportKeySetAsync(domain);
        // Started on another node (the lease row), not run here: what a second browser or a reload finds.
        var running = await domain.Context.Services.GetRequiredService<AuditVerificationJob>().StartAsync(Actor.Staff(PortalDomain.SecurityOfficerC));

        var first = domain.Context.Render<AuditIntegrityPage>();
        first.WaitForAssertion(() => Assert.NotNull(first.Find("[data-testid=verify-progress]")));
        var reload = domain.Context.Render<AuditIntegrityPage>();
        reload.WaitForAssertion(() => Assert.NotNull(reload.Find("[data-testid=verify-progress]")));

        Assert.Contains($"0 of {running.TotalRecords:N0} records checked", reload.Find("[data-testid=verify-progress-text]").TextContent, StringComparison.Ordinal);
        Assert.Contains("started by user:" + PortalDomain.SecurityOfficerC, reload.Find("[data-testid=verify-progress]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(reload.Find("[data-testid=verify]").GetAttribute("disabled"));
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() =>
            domain.Context.Services.GetRequiredService<Ttp.Portal.Hosting.AuditVerificationRunner>().StartAsync(Actor.Staff(Auditor)));
        Assert.Contains("already running: started by user:" + PortalDomain.SecurityOfficerC, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_Click_RunsInTheBackgroundAndAReloadShowsTheResultAndWhoStartedIt()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        await ImportKeySetAsync(domain);
        var page = domain.Context.Render<AuditIntegrityPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=verify]")));

        page.Find("[data-testid=verify]").Click();
        await domain.Context.Services.GetRequiredService<Ttp.Portal.Hosting.AuditVerificationRunner>().WhenIdleAsync();
        var reload = domain.Context.Render<AuditIntegrityPage>();

        reload.WaitForAssertion(() => Assert.StartsWith("Intact:", reload.Find("[data-testid=verify-result]").TextContent.Trim(), StringComparison.Ordinal), Wait);
        Assert.Contains("Started by user:" + Auditor, reload.Find("[data-testid=verify-result-by]").TextContent, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.StartsWith("Intact:", page.Find("[data-testid=verify-result]").TextContent.Trim(), StringComparison.Ordinal), Wait);
        var last = await domain.Context.Services.GetRequiredService<AuditVerificationQueries>().LastFinishedAsync();
        Assert.Equal(AuditVerificationState.Passed, last!.State);
        Assert.Equal("user:" + Auditor, last.StartedBy);
    }

    [Fact]
    public async Task Render_UntouchedInstallation_ShowsTheSigningKeysPublicHalfCoveredChainAndNoDamage()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        await ImportKeySetAsync(domain);
        var publicKey = await domain.Context.Services.GetRequiredService<AuditTrailVerifier>().PublicKeyAsync();

        var cut = domain.Context.Render<AuditIntegrityPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=no-damage]")));
        Assert.Equal(publicKey.Fingerprint, cut.Find("[data-testid=public-key-fingerprint]").TextContent.Trim());
        Assert.Equal(publicKey.Pem.Trim(), cut.Find("[data-testid=public-key-pem]").TextContent.Trim());
        Assert.Contains("All 1 stored keys open for their records, and every TSM",
            System.Text.RegularExpressions.Regex.Replace(cut.Find("[data-testid=no-damage]").TextContent, @"\s+", " "), StringComparison.Ordinal);
        Assert.Contains("covers the last record", cut.Find("[data-testid=anchor-text]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_IssuerKeyMethodChangedInSql_NamesTheDamagedKeySet()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        await ImportKeySetAsync(domain);
        Assert.Equal(1, await domain.ExecuteSqlAsync("UPDATE issuer_key_sets SET method = 0"));

        var cut = domain.Context.Render<AuditIntegrityPage>();

        cut.WaitForAssertion(() => Assert.Contains("issuer key set IIN A0000001 KVN 1", cut.Find("[data-testid=damaged-list]").TextContent, StringComparison.Ordinal));
        Assert.Contains("does not open", cut.Find("[data-testid=damaged-list]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=no-damage]"));
    }

    [Fact]
    public async Task VerifyAndStatus_TailCutInSql_NameTheGapAgainstTheCheckpoint()
    {
        await using var domain = await PortalDomain.CreateAsync(Auditor, StaffRoles.Auditor);
        await ImportKeySetAsync(domain);
        var clean = domain.Context.Render<AuditIntegrityPage>();
        clean.WaitForAssertion(() => Assert.NotNull(clean.Find("[data-testid=verify]")));
        clean.Find("[data-testid=verify]").Click();
        clean.WaitForAssertion(() => Assert.StartsWith("Intact:", clean.Find("[data-testid=verify-result]").TextContent.Trim(), StringComparison.Ordinal), Wait);
        var last = long.Parse(clean.Find("[data-testid=last-sequence]").TextContent.Replace(",", string.Empty, StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);

        await domain.ExecuteSqlAsync($"DELETE FROM audit_events WHERE sequence > {last - 2}");
        await domain.ExecuteSqlAsync($"UPDATE audit_chain_head SET last_sequence = {last - 2}, last_hash = (SELECT hash FROM audit_events WHERE sequence = {last - 2})");
        var cut = domain.Context.Render<AuditIntegrityPage>();

        cut.WaitForAssertion(() => Assert.Contains($"checkpoint at sequence {last:N0}, chain ends at {last - 2:N0}: records were removed from the end",
            cut.Find("[data-testid=anchor-text]").TextContent, StringComparison.Ordinal));
        cut.Find("[data-testid=verify]").Click();
        cut.WaitForAssertion(() => Assert.StartsWith($"Broken at record {last - 1:N0}:", cut.Find("[data-testid=verify-result]").TextContent.Trim(), StringComparison.Ordinal), Wait);
    }

    private static async Task ImportKeySetAsync(PortalDomain domain)
    {
        var issuerKeys = domain.Context.Services.GetRequiredService<IssuerKeyService>();
        var master = RandomNumberGenerator.GetBytes(16);
        var mask = RandomNumberGenerator.GetBytes(16);
        await issuerKeys.ImportAsync(
            new IssuerKeyImport("A0000001", 1, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3),
            [master.Zip(mask, (a, b) => (byte)(a ^ b)).ToArray(), mask],
            Actor.System);
        CryptographicOperations.ZeroMemory(master);
        domain.Context.Render<MudPopoverProvider>();
    }
}
