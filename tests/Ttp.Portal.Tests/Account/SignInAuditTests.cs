using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ttp.Domain.Audit;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Tests.Account;

/// <summary>
/// Sign-in events in the audit trail, through the real portal's pages: each record exists with its actor, action and
/// remote address, and holds no password or code typed; expected refusals are logged at Information or Warning, without
/// a stack trace.
/// </summary>
public sealed class SignInAuditTests
{
    private const string Operator = "operator@ttp.test";
    private const string Auditor = "auditor@ttp.test";

    [Fact]
    public async Task SignIn_PasswordThenTotp_SignedInRecordedWithMethodAndRemoteAddress()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator], TestTotp.Key);
        using var browser = host.CreateBrowser();

        var home = await PortalHost.SignInAsync(browser, Operator, TestTotp.Key);

        Assert.Equal("/", home.Path);
        var record = Assert.Single(await RecordsAsync(host, Operator), e => e.Action == SignInAudit.SignedInAction);
        Assert.Equal("user:" + Operator, record.Actor);
        Assert.Equal("ok", record.Outcome);
        Assert.Contains("\"method\":\"password-totp\"", record.Details, StringComparison.Ordinal);
        Assert.Contains("\"remoteAddress\":\"127.0.0.1\"", record.Details, StringComparison.Ordinal);
        AssertNoSecret(host, await RecordsAsync(host, Operator), PortalHost.StaffPassword);
    }

    [Fact]
    public async Task SignIn_WrongPassword_RefusalRecordedAndLoggedAsWarningWithoutThePassword()
    {
        const string typed = "Wrong-Password-42!";
        using var host = new PortalHost();
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator], TestTotp.Key);
        using var browser = host.CreateBrowser();

        var page = await PortalHost.SignInAsync(browser, Operator, password: typed);

        Assert.Contains("is not right", page.Html, StringComparison.Ordinal);
        var record = Assert.Single(await RecordsAsync(host, Operator), e => e.Action == SignInAudit.PasswordRefusedAction);
        Assert.Equal("anonymous", record.Actor);
        Assert.Equal("denied", record.Outcome);
        Assert.Contains("\"reason\":\"wrong-password\"", record.Details, StringComparison.Ordinal);
        Assert.Contains("\"remoteAddress\":\"127.0.0.1\"", record.Details, StringComparison.Ordinal);
        Assert.Contains(host.Log.Lines, l => l.Level == LogLevel.Warning && l.Category == typeof(SignInAudit).FullName && l.Message.Contains(Operator, StringComparison.Ordinal));
        AssertNoSecret(host, await RecordsAsync(host, Operator), typed);
    }

    [Fact]
    public async Task SignIn_UnknownEmail_RefusalRecordedAndNoAccountCreated()
    {
        const string stranger = "nobody@ttp.test";
        using var host = new PortalHost();
        await host.SeedStaffAsync(Auditor, [StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();

        var page = await PortalHost.SignInAsync(browser, stranger, password: "Guess-Password-1!");

        Assert.Contains("is not right", page.Html, StringComparison.Ordinal);
        var record = Assert.Single(await RecordsAsync(host, stranger));
        Assert.Equal(SignInAudit.PasswordRefusedAction, record.Action);
        Assert.Equal("anonymous", record.Actor);
        Assert.Contains("\"reason\":\"unknown-account\"", record.Details, StringComparison.Ordinal);
        await using var scope = host.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(stranger));
        AssertNoSecret(host, await RecordsAsync(host, stranger), "Guess-Password-1!");
    }

    [Fact]
    public async Task SignIn_PasswordTypedIntoTheEmailField_NotRecorded()
    {
        const string typed = "Secret-Typed-In-The-Wrong-Field-7";
        using var host = new PortalHost();
        await host.SeedStaffAsync(Auditor, [StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();

        await PortalHost.SignInAsync(browser, typed, password: "x");

        var all = await host.Services.GetRequiredService<AuditQueries>().RecentStaffActionsAsync(50);
        Assert.Contains(all, e => e.Action == SignInAudit.PasswordRefusedAction && e.Subject.Length == 0);
        AssertNoSecret(host, all, typed);
    }

    [Fact]
    public async Task SignIn_WrongAuthenticatorCode_CodeRefusalRecordedWithoutTheCode()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator], TestTotp.Key);
        using var browser = host.CreateBrowser();
        var wrong = TestTotp.Code(TestTotp.Key, await TestTotp.StableStepAsync() - 5);

        var page = await PortalHost.SignInAsync(browser, Operator, password: PortalHost.StaffPassword);
        page = await browser.SubmitAsync(page.Path, page, new Dictionary<string, string> { ["Input.Code"] = wrong });

        Assert.StartsWith("/account/login-with-2fa", page.Path, StringComparison.Ordinal);
        var record = Assert.Single(await RecordsAsync(host, Operator), e => e.Action == SignInAudit.CodeRefusedAction);
        Assert.Equal("anonymous", record.Actor);
        Assert.Contains("\"reason\":\"wrong-code\"", record.Details, StringComparison.Ordinal);
        AssertNoSecret(host, await RecordsAsync(host, Operator), wrong);
    }

    [Fact]
    public async Task SignIn_WrongRecoveryCode_RecoveryCodeRefusalRecordedWithoutTheCode()
    {
        const string wrong = "BCDFG-HJKMN";
        using var host = new PortalHost();
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator], TestTotp.Key);
        using var browser = host.CreateBrowser();

        var page = await PortalHost.SignInAsync(browser, Operator, password: PortalHost.StaffPassword);
        page = await browser.FillAsync("/account/login-with-recovery-code", new Dictionary<string, string> { ["Input.Code"] = wrong });

        Assert.Contains("not right or was already used", page.Html, StringComparison.Ordinal);
        var record = Assert.Single(await RecordsAsync(host, Operator), e => e.Action == SignInAudit.RecoveryCodeRefusedAction);
        Assert.Equal("anonymous", record.Actor);
        AssertNoSecret(host, await RecordsAsync(host, Operator), wrong);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockoutRecordedOnceLaterAttemptsRefusedAsLockedOutAndUnlockRecorded()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync("admin@ttp.test", [StaffRoles.Administrator], TestTotp.Key);
        await host.SeedStaffAsync(Operator, [StaffRoles.Operator], TestTotp.Key);
        using var browser = host.CreateBrowser();

        for (var attempt = 1; attempt <= 6; attempt++)
        {
            await PortalHost.SignInAsync(browser, Operator, password: "Wrong-Password-" + attempt);
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StaffService>().UnlockAsync(Operator, Ttp.Domain.Actor.Staff("admin@ttp.test"));
        }

        var records = await RecordsAsync(host, Operator);
        var lockout = Assert.Single(records, e => e.Action == SignInAudit.LockedOutAction);
        Assert.Equal("system", lockout.Actor);
        Assert.Contains("\"lockedOutUntil\":\"", lockout.Details, StringComparison.Ordinal);
        var refusals = records.Where(e => e.Action == SignInAudit.PasswordRefusedAction).OrderBy(e => e.Sequence).ToList();
        Assert.Equal(6, refusals.Count);
        Assert.Equal(5, refusals.Count(e => e.Details.Contains("wrong-password", StringComparison.Ordinal)));
        Assert.Contains("locked-out", refusals[^1].Details, StringComparison.Ordinal);
        Assert.True(lockout.Sequence > refusals[4].Sequence && lockout.Sequence < refusals[5].Sequence);
        var unlock = Assert.Single(records, e => e.Action == "user.unlocked");
        Assert.Equal("user:admin@ttp.test", unlock.Actor);
        Assert.Contains(host.Log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("locked out until", StringComparison.Ordinal));
        AssertNoSecret(host, records, "Wrong-Password-");
    }

    [Fact]
    public async Task Logout_SignedIn_SignOutRecorded()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Auditor, [StaffRoles.Auditor]);
        using var browser = host.CreateBrowser();
        await PortalHost.SignInAsync(browser, Auditor);
        var form = await browser.GetPageAsync("/account/login");

        var signedOut = await browser.SubmitAsync("/account/logout", form, new Dictionary<string, string>());

        Assert.StartsWith("/account/login", signedOut.Path, StringComparison.Ordinal);
        var record = Assert.Single(await RecordsAsync(host, Auditor), e => e.Action == SignInAudit.SignedOutAction);
        Assert.Equal("user:" + Auditor, record.Actor);
        Assert.Contains("\"remoteAddress\":\"127.0.0.1\"", record.Details, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    private static async Task<IReadOnlyList<AuditEvent>> RecordsAsync(PortalHost host, string email) =>
        await host.Services.GetRequiredService<AuditQueries>().ForSubjectAsync("user:" + email);

    /// <summary>No record and no log line holds <paramref name="secret"/>; nothing was logged at Error or with a stack trace.</summary>
    private static void AssertNoSecret(PortalHost host, IEnumerable<AuditEvent> records, string secret)
    {
        Assert.All(records, e => Assert.DoesNotContain(secret, e.Details + e.Subject + e.Actor, StringComparison.OrdinalIgnoreCase));
        Assert.All(host.Log.Lines, l => Assert.DoesNotContain(secret, l.Message, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(host.Log.Lines, l => l.Level >= LogLevel.Error);
        Assert.DoesNotContain(host.Log.Lines, l => l.Message.Contains("   at ", StringComparison.Ordinal));
    }
}
