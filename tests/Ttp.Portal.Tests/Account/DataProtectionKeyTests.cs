using System.Net;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Staff;

namespace Ttp.Portal.Tests.Account;

/// <summary>
/// The portal's data-protection keys (they protect session cookies and antiforgery tokens) live in the database, each
/// row an LMK envelope, and a restarted portal opens them: a session survives the restart. An installation of the
/// previous release, whose keys were files in <c>data/dataprotection-keys/</c>, has them imported once, audited, and
/// its sessions survive the upgrade.
/// </summary>
public sealed class DataProtectionKeyTests
{
    private const string Email = "operator@ttp.test";

    [Fact]
    public async Task KeyRing_InDatabase_SealedUnderLmkAndOpenedAfterRestart()
    {
        // A data directory of the test's own: each PortalHost removes its temporary one when disposed.
        var dataDirectory = Directory.CreateTempSubdirectory("ttp-dp-").FullName;
        var settings = new Dictionary<string, string> { ["Ttp:DataDirectory"] = dataDirectory };
        CookieCollection cookies;
        using (var first = new PortalHost(settings))
        {
            await first.SeedStaffAsync(Email, [StaffRoles.Operator], TestTotp.Key);
            using var browser = first.CreateBrowser();
            var signedIn = await PortalHost.SignInAsync(browser, Email, TestTotp.Key);
            Assert.Equal("/", signedIn.Path);
            cookies = browser.Cookies.GetAllCookies();

            await using var db = await first.Services.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContextAsync();
            Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync());
            // Each row is an envelope: neither the key element nor its sealed descriptor is readable in the database.
            Assert.All(await db.DataProtectionKeys.ToListAsync(), row =>
            {
                var payload = System.Text.Encoding.UTF8.GetString(row.Envelope.Payload);
                Assert.DoesNotContain("<key", payload, StringComparison.Ordinal);
                Assert.DoesNotContain("ttpLmkSealed", payload, StringComparison.Ordinal);
                Assert.False(string.IsNullOrEmpty(row.Envelope.LmkId));
            });
        }

        Assert.False(Directory.Exists(Path.Combine(dataDirectory, "dataprotection-keys")));

        // The same installation started again: the sealed key ring must open for the session cookie to be accepted.
        using var second = new PortalHost(settings);
        using var again = second.CreateBrowser();
        again.Cookies.Add(cookies);

        var page = await again.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("/", page.Path);
        Assert.Contains(Email, page.Html, StringComparison.Ordinal);
        second.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }

    // The database writer's move: no key of their own can be sealed without the LMK, so they copy a real row under a new
    // id (a second key the ring would trust). The envelope is bound to its row id: the copy does not open, is left out of
    // the key ring and raised, and the portal goes on with its real key (the signed-in session still works).
    [Fact]
    public async Task KeyRing_RowCopiedInSqlUnderNewId_LeftOutAndRaised()
    {
        using var host = new PortalHost();
        await host.SeedStaffAsync(Email, [StaffRoles.Operator], TestTotp.Key);
        using var browser = host.CreateBrowser();
        Assert.Equal("/", (await PortalHost.SignInAsync(browser, Email, TestTotp.Key)).Path);
        var store = host.Services.GetRequiredService<DataProtectionKeyStore>();
        var before = await store.ReadAllAsync();

        var copied = await host.ExecuteSqlAsync(
            $"INSERT INTO data_protection_keys (id, friendly_name, envelope_format, envelope_lmk_id, envelope_wrapped_key, envelope_payload, created_at) " +
            $"SELECT '{Guid.NewGuid().ToString().ToUpperInvariant()}', 'planted-' || friendly_name, envelope_format, envelope_lmk_id, envelope_wrapped_key, envelope_payload, created_at " +
            "FROM data_protection_keys LIMIT 1");
        var after = await store.ReadAllAsync();
        var page = await browser.GetPageAsync("/");

        Assert.Equal(1, copied);
        Assert.Equal(before, after);
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContextAsync();
        var raised = await db.AuditEvents.Where(e => e.Action == Ttp.Domain.Integrity.IntegrityAlarm.KeyDamagedAction).ToListAsync();
        var record = Assert.Single(raised);
        Assert.StartsWith("data-protection key planted-", record.Subject, StringComparison.Ordinal);
        Assert.Equal("rejected", record.Outcome);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("/", page.Path);
    }

    [Fact]
    public async Task Upgrade_KeyFilesOfPreviousRelease_ImportedOnceAuditedAndSessionKept()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("ttp-dp-upgrade-").FullName;
        var keyFiles = Path.Combine(dataDirectory, "dataprotection-keys");
        var settings = new Dictionary<string, string> { ["Ttp:DataDirectory"] = dataDirectory };
        CookieCollection cookies;

        // The previous release: the key ring as files in the data directory (each key's descriptor sealed under the LMK
        // by LmkXmlEncryptor, which is unchanged), a staff member signed in with a cookie protected by it.
        using (var previous = new PortalHost(settings, services: s => s.Configure<KeyManagementOptions>(o =>
                   o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(keyFiles), NullLoggerFactory.Instance))))
        {
            await previous.SeedStaffAsync(Email, [StaffRoles.Operator], TestTotp.Key);
            using var browser = previous.CreateBrowser();
            Assert.Equal("/", (await PortalHost.SignInAsync(browser, Email, TestTotp.Key)).Path);
            cookies = browser.Cookies.GetAllCookies();
            await using var db = await previous.Services.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContextAsync();
            Assert.Empty(await db.DataProtectionKeys.ToListAsync());
        }

        // That release knew no import: its data directory has no marker of it.
        File.Delete(Path.Combine(dataDirectory, DataProtectionKeyImport.MarkerFileName));
        var files = Directory.GetFiles(keyFiles, "*.xml");
        Assert.NotEmpty(files);

        // This release started on it: the files are imported at start-up and the old session is accepted.
        using (var upgraded = new PortalHost(settings))
        {
            using var again = upgraded.CreateBrowser();
            again.Cookies.Add(cookies);

            var page = await again.GetPageAsync("/");

            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Equal("/", page.Path);
            Assert.Contains(Email, page.Html, StringComparison.Ordinal);
            await using var db = await upgraded.Services.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContextAsync();
            var rows = await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync();
            Assert.Equal(files.Select(Path.GetFileNameWithoutExtension).Order(), rows.Order());
            var imports = await db.AuditEvents.Where(e => e.Action == DataProtectionKeyImport.ImportedAction).ToListAsync();
            var import = Assert.Single(imports);
            Assert.Contains($"\"keys\":{files.Length}", import.Details, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("masterKey", import.Details, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dataDirectory, DataProtectionKeyImport.MarkerFileName)));

            // Once done, it is not run again: a key file added later is not read.
            File.Copy(files[0], Path.Combine(keyFiles, "key-" + Guid.NewGuid().ToString("D") + ".xml"));
            Assert.Equal(0, await upgraded.Services.GetRequiredService<DataProtectionKeyImport>().RunAsync());
            Assert.Equal(rows.Count, await db.DataProtectionKeys.CountAsync());
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }
}
