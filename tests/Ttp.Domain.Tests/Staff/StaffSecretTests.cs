using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;
using Ttp.Domain.Staff;
using Ttp.Domain.Tests.Infrastructure;
using Ttp.Domain.Tests.KeyRequests;

namespace Ttp.Domain.Tests.Staff;

/// <summary>
/// Authenticator secrets are LMK envelopes and recovery codes hashes: after enrolment neither is in the Identity tables
/// in clear; an older installation's clear tokens are converted at start-up; an LMK rotation carries the envelopes.
/// </summary>
public sealed class StaffSecretTests
{
    private const string Email = "custodian@ttp.example";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Enrol_AuthenticatorAndRecoveryCodes_NothingInClearAndBothStillWork(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        string key;
        string[] codes;
        await using (var scope = env.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = await AddUserAsync(scope);
            Assert.True((await users.ResetAuthenticatorKeyAsync(user)).Succeeded);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
            codes = [.. (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!];
        }

        Assert.Equal(32, key.Length);
        Assert.Equal(10, codes.Length);
        var stored = await EverythingStoredAsync(env);
        Assert.DoesNotContain(key, stored, StringComparison.Ordinal);
        Assert.All(codes, c => Assert.DoesNotContain(c, stored, StringComparison.Ordinal));

        await using (var scope = env.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByEmailAsync(Email))!;
            Assert.Equal(key, await users.GetAuthenticatorKeyAsync(user));
            Assert.True((await users.RedeemTwoFactorRecoveryCodeAsync(user, codes[3])).Succeeded);
            Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(user, codes[3])).Succeeded);
            Assert.False((await users.RedeemTwoFactorRecoveryCodeAsync(user, "NOT-A-CODE")).Succeeded);
            Assert.Equal(9, await users.CountRecoveryCodesAsync(user));
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Initialize_ClearTokensOfPreviousRelease_SealedAndHashedAuditedAndStillWork(DatabaseProvider provider)
    {
        // Test values, not secrets: the base32 example key of RFC 4648 style and two made-up codes.
        const string clearKey = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        string[] clearCodes = ["7QK2M-XW4PZ", "R9T3V-H6NDA"];
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        Guid userId;
        await using (var scope = env.Services.CreateAsyncScope())
        {
            userId = (await AddUserAsync(scope)).Id;
        }

        // The previous release's shape: Identity's own clear tokens, and no marker (that release wrote none).
        File.Delete(env.Services.GetRequiredService<StaffSecretUpgrade>().MarkerPath);
        await using (var db = env.Database.Factory.CreateDbContext())
        {
            db.UserTokens.Add(new IdentityUserToken<Guid> { UserId = userId, LoginProvider = StaffUserStore.InternalProvider, Name = StaffUserStore.AuthenticatorKeyName, Value = clearKey });
            db.UserTokens.Add(new IdentityUserToken<Guid> { UserId = userId, LoginProvider = StaffUserStore.InternalProvider, Name = StaffUserStore.RecoveryCodesName, Value = string.Join(';', clearCodes) });
            await db.SaveChangesAsync();
        }

        await DomainInitializer.InitializeAsync(env.Services);
        await DomainInitializer.InitializeAsync(env.Services);

        var stored = await EverythingStoredAsync(env);
        Assert.DoesNotContain(clearKey, stored, StringComparison.Ordinal);
        Assert.All(clearCodes, c => Assert.DoesNotContain(c, stored, StringComparison.Ordinal));
        await using (var scope = env.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByIdAsync(userId.ToString()))!;
            Assert.Equal(clearKey, await users.GetAuthenticatorKeyAsync(user));
            Assert.True((await users.RedeemTwoFactorRecoveryCodeAsync(user, clearCodes[1])).Succeeded);
            Assert.Equal(1, await users.CountRecoveryCodesAsync(user));
        }

        await using var check = env.Database.Factory.CreateDbContext();
        var conversion = Assert.Single(await check.AuditEvents.AsNoTracking().Where(e => e.Action == "staff.2fa-secrets-sealed").ToListAsync());
        Assert.Contains("\"accounts\":1", conversion.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Initialize_ClearTokenWrittenInSqlAfterTheConversion_IgnoredNotConvertedRaisedOnce(DatabaseProvider provider)
    {
        // Test values, not secrets.
        const string plantedKey = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        await using var env = await KeyRequestEnvironment.CreateAsync(provider, configure: services => services.AddFakeLogging());
        Assert.True(File.Exists(env.Services.GetRequiredService<StaffSecretUpgrade>().MarkerPath));
        Guid userId;
        string realKey;
        await using (var scope = env.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = await AddUserAsync(scope);
            userId = user.Id;
            Assert.True((await users.ResetAuthenticatorKeyAsync(user)).Succeeded);
            realKey = (await users.GetAuthenticatorKeyAsync(user))!;
        }

        await using (var db = env.Database.Factory.CreateDbContext())
        {
            db.UserTokens.Add(new IdentityUserToken<Guid> { UserId = userId, LoginProvider = StaffUserStore.InternalProvider, Name = StaffUserStore.AuthenticatorKeyName, Value = plantedKey });
            await db.SaveChangesAsync();
        }

        await DomainInitializer.InitializeAsync(env.Services);
        await DomainInitializer.InitializeAsync(env.Services);

        await using (var scope = env.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            Assert.Equal(realKey, await users.GetAuthenticatorKeyAsync((await users.FindByIdAsync(userId.ToString()))!));
        }

        await using var check = env.Database.Factory.CreateDbContext();
        Assert.Empty(await check.AuditEvents.AsNoTracking().Where(e => e.Action == "staff.2fa-secrets-sealed").ToListAsync());
        var alarm = Assert.Single(await check.AuditEvents.AsNoTracking().Where(e => e.Action == Ttp.Domain.Integrity.IntegrityAlarm.RecordRejectedAction).ToListAsync());
        Assert.Equal($"staff account {Email}: AuthenticatorKey token in clear", alarm.Subject);
        Assert.DoesNotContain(plantedKey, alarm.Details, StringComparison.Ordinal);
        var critical = Assert.Single(env.Services.GetRequiredService<Microsoft.Extensions.Logging.Testing.FakeLogCollector>().GetSnapshot(),
            r => r.Level == Microsoft.Extensions.Logging.LogLevel.Critical);
        Assert.Contains(Email, critical.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(plantedKey, critical.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LmkRotation_AuthenticatorSecret_RewrappedAndStillOpens(DatabaseProvider provider)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(provider);
        string key;
        await using (var scope = env.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = await AddUserAsync(scope);
            await users.ResetAuthenticatorKeyAsync(user);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
        }

        var result = await env.Services.GetRequiredService<LmkRotation>().RunAsync(env.Database.Factory);

        await using (var db = env.Database.Factory.CreateDbContext())
        {
            Assert.Equal(result.NewLmkId, (await db.StaffAuthenticatorKeys.AsNoTracking().SingleAsync()).Envelope.LmkId);
        }

        await using var after = env.Services.CreateAsyncScope();
        var manager = after.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        Assert.Equal(key, await manager.GetAuthenticatorKeyAsync((await manager.FindByEmailAsync(Email))!));
    }

    private static async Task<StaffUser> AddUserAsync(AsyncServiceScope scope)
    {
        var added = await scope.ServiceProvider.GetRequiredService<StaffService>().AddAsync(Email, StaffRoles.KeyCustodian, "Correct-Horse-Battery-9", Actor.System);
        return (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByIdAsync(added.Id.ToString()))!;
    }

    // Every value the Identity token table and the sealed-secret table hold, as text (envelope bytes decoded as UTF-8
    // and as hex), for "not in clear" checks.
    private static async Task<string> EverythingStoredAsync(KeyRequestEnvironment env)
    {
        await using var db = env.Database.Factory.CreateDbContext();
        var text = new StringBuilder();
        foreach (var token in await db.UserTokens.AsNoTracking().ToListAsync())
        {
            text.Append(token.Name).Append('=').Append(token.Value).Append('\n');
        }

        foreach (var sealedKey in await db.StaffAuthenticatorKeys.AsNoTracking().ToListAsync())
        {
            text.Append(Encoding.UTF8.GetString(sealedKey.Envelope.Payload)).Append(Convert.ToHexString(sealedKey.Envelope.Payload)).Append('\n');
        }

        return text.ToString();
    }
}
