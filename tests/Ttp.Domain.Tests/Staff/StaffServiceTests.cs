using Ttp.Domain.Data;
using Ttp.Domain.Staff;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Staff;

/// <summary>
/// The staff administration rules of <see cref="StaffService"/> on both databases: self-protection, the last active
/// Administrator, and the audit record (actor, before and after, never a password or key) of every change.
/// </summary>
public sealed class StaffServiceTests
{
    private const string AdminA = "admin.a@ttp.test";
    private const string AdminB = "admin.b@ttp.test";
    private const string OperatorC = "operator.c@ttp.test";
    private static readonly Actor ActorA = Actor.Staff(AdminA);

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AddAsync_SeveralRoles_CreatesAccountAndRecordsRolesWithoutPassword(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);

        await env.StaffAsync(s => s.AddAsync(OperatorC, [StaffRoles.Operator, "auditor"], StaffEnvironment.Password, ActorA));

        var member = await env.MemberAsync(OperatorC);
        Assert.Equal([StaffRoles.Auditor, StaffRoles.Operator], member.Roles);
        Assert.False(member.TwoFactorEnabled);
        Assert.False(member.IsDisabled);
        var record = Assert.Single(await env.RecordsAsync(OperatorC));
        Assert.Equal("user.added", record.Action);
        Assert.Equal(ActorA.Id, record.Actor);
        Assert.Contains("Operator", record.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(StaffEnvironment.Password, record.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("Hash", record.Details, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AddFirstAdministratorAsync_WhenAnAdministratorExists_Refused(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        Assert.False(await env.StaffAsync(s => s.HasActiveAdministratorAsync()));

        await env.StaffAsync(s => s.AddFirstAdministratorAsync(AdminA, StaffEnvironment.Password));
        var second = await Assert.ThrowsAsync<RuleViolationException>(() => env.StaffAsync(s => s.AddFirstAdministratorAsync(AdminB, StaffEnvironment.Password)));

        Assert.Contains("setup is closed", second.Message, StringComparison.Ordinal);
        Assert.True(await env.StaffAsync(s => s.HasActiveAdministratorAsync()));
        var record = Assert.Single(await env.RecordsAsync(AdminA));
        Assert.Equal("system", record.Actor);
        Assert.Contains("setup", record.Details, StringComparison.Ordinal);
        Assert.Empty(await env.RecordsAsync(AdminB));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ChangeRolesAsync_OtherAccount_ReplacesRolesAndRecordsBeforeAndAfter(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(AdminA, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));
        await env.StaffAsync(s => s.AddAsync(OperatorC, StaffRoles.Operator, StaffEnvironment.Password, ActorA));

        await env.StaffAsync(s => s.ChangeRolesAsync(OperatorC, [StaffRoles.SecurityOfficer, StaffRoles.KeyCustodian], ActorA));

        Assert.Equal([StaffRoles.KeyCustodian, StaffRoles.SecurityOfficer], (await env.MemberAsync(OperatorC)).Roles);
        var record = (await env.RecordsAsync(OperatorC))[^1];
        Assert.Equal("user.roles-changed", record.Action);
        Assert.Equal(ActorA.Id, record.Actor);
        Assert.Contains("\"before\":{\"roles\":[\"Operator\"]}", record.Details, StringComparison.Ordinal);
        Assert.Contains("\"after\":{\"roles\":[\"KeyCustodian\",\"SecurityOfficer\"]}", record.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ChangeRolesAsync_OwnAdministratorRole_RefusedAndUnchanged(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(AdminA, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));
        await env.StaffAsync(s => s.AddAsync(AdminB, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));

        var refusal = await Assert.ThrowsAsync<RuleViolationException>(() => env.StaffAsync(s => s.ChangeRolesAsync(AdminA, [StaffRoles.Operator], ActorA)));

        Assert.Contains("your own Administrator role", refusal.Message, StringComparison.Ordinal);
        Assert.Equal([StaffRoles.Administrator], (await env.MemberAsync(AdminA)).Roles);
        Assert.Single(await env.RecordsAsync(AdminA));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ChangeRolesAsync_AdministratorAddsOperatorToOwnAccount_RefusedButAnotherAdministratorMay(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(AdminA, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));
        await env.StaffAsync(s => s.AddAsync(AdminB, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));

        var refusal = await Assert.ThrowsAsync<RuleViolationException>(
            () => env.StaffAsync(s => s.ChangeRolesAsync(AdminA, [StaffRoles.Administrator, StaffRoles.Operator], ActorA)));

        Assert.Contains("cannot give yourself a role", refusal.Message, StringComparison.Ordinal);
        Assert.Equal([StaffRoles.Administrator], (await env.MemberAsync(AdminA)).Roles);
        await env.StaffAsync(s => s.ChangeRolesAsync(AdminA, [StaffRoles.Administrator, StaffRoles.Operator], Actor.Staff(AdminB)));
        Assert.Equal([StaffRoles.Administrator, StaffRoles.Operator], (await env.MemberAsync(AdminA)).Roles.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ChangeRolesAsync_LastActiveAdministrator_Refused(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(AdminA, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));

        var refusal = await Assert.ThrowsAsync<RuleViolationException>(() =>
            env.StaffAsync(s => s.ChangeRolesAsync(AdminA, [StaffRoles.Auditor], Actor.Cli("root"))));

        Assert.Contains("last active Administrator", refusal.Message, StringComparison.Ordinal);
        Assert.Equal([StaffRoles.Administrator], (await env.MemberAsync(AdminA)).Roles);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DisableAsync_Self_Refused(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(AdminA, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));
        await env.StaffAsync(s => s.AddAsync(AdminB, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));

        var refusal = await Assert.ThrowsAsync<RuleViolationException>(() => env.StaffAsync(s => s.DisableAsync(AdminA.ToUpperInvariant(), ActorA)));

        Assert.Contains("your own account", refusal.Message, StringComparison.Ordinal);
        Assert.False((await env.MemberAsync(AdminA)).IsDisabled);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DisableAsync_LastActiveAdministrator_RefusedButAnotherAdministratorMayBeDisabled(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(AdminA, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));
        await env.StaffAsync(s => s.AddAsync(AdminB, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));

        await env.StaffAsync(s => s.DisableAsync(AdminB, ActorA));
        var refusal = await Assert.ThrowsAsync<RuleViolationException>(() => env.StaffAsync(s => s.DisableAsync(AdminA, Actor.Cli("root"))));

        Assert.Contains("last active Administrator", refusal.Message, StringComparison.Ordinal);
        Assert.True((await env.MemberAsync(AdminB)).IsDisabled);
        Assert.False((await env.MemberAsync(AdminA)).IsDisabled);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DisableAndEnableAsync_Operator_ChangesStampAndRecordsBeforeAndAfter(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(AdminA, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));
        await env.StaffAsync(s => s.AddAsync(OperatorC, StaffRoles.Operator, StaffEnvironment.Password, ActorA));
        var stampBefore = await env.UsersAsync(async u => (await u.FindByEmailAsync(OperatorC))!.SecurityStamp);

        await env.StaffAsync(s => s.DisableAsync(OperatorC, ActorA));
        var stampDisabled = await env.UsersAsync(async u => (await u.FindByEmailAsync(OperatorC))!.SecurityStamp);
        Assert.True((await env.MemberAsync(OperatorC)).IsDisabled);
        await Assert.ThrowsAsync<RuleViolationException>(() => env.StaffAsync(s => s.DisableAsync(OperatorC, ActorA)));
        await env.StaffAsync(s => s.EnableAsync(OperatorC, ActorA));

        Assert.False((await env.MemberAsync(OperatorC)).IsDisabled);
        Assert.NotEqual(stampBefore, stampDisabled);
        var records = await env.RecordsAsync(OperatorC);
        Assert.Equal(["user.added", "user.disabled", "user.enabled"], records.Select(r => r.Action));
        Assert.Contains("\"before\":{\"isDisabled\":false},\"after\":{\"isDisabled\":true}", records[1].Details, StringComparison.Ordinal);
        Assert.All(records.Skip(1), r => Assert.Equal(ActorA.Id, r.Actor));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ResetTwoFactorAsync_EnrolledAccount_RemovesAuthenticatorWithoutRecordingKey(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(AdminA, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));
        await env.StaffAsync(s => s.AddAsync(OperatorC, StaffRoles.Operator, StaffEnvironment.Password, ActorA));
        var key = await env.UsersAsync(async u =>
        {
            var user = (await u.FindByEmailAsync(OperatorC))!;
            await u.ResetAuthenticatorKeyAsync(user);
            await u.SetTwoFactorEnabledAsync(user, true);
            await u.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
            return (await u.GetAuthenticatorKeyAsync(user))!;
        });
        Assert.True((await env.MemberAsync(OperatorC)).TwoFactorEnabled);

        await env.StaffAsync(s => s.ResetTwoFactorAsync(OperatorC, ActorA));

        Assert.False((await env.MemberAsync(OperatorC)).TwoFactorEnabled);
        Assert.Null(await env.UsersAsync(async u => await u.GetAuthenticatorKeyAsync((await u.FindByEmailAsync(OperatorC))!)));
        Assert.Equal(0, await env.UsersAsync(async u => await u.CountRecoveryCodesAsync((await u.FindByEmailAsync(OperatorC))!)));
        var record = (await env.RecordsAsync(OperatorC))[^1];
        Assert.Equal("user.2fa-reset", record.Action);
        Assert.Contains("\"before\":{\"twoFactorEnabled\":true},\"after\":{\"twoFactorEnabled\":false}", record.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(key, record.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task UnlockAsync_LockedOutAccount_ClearsLockoutAndRecordsIt(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(AdminA, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));
        await env.StaffAsync(s => s.AddAsync(OperatorC, StaffRoles.Operator, StaffEnvironment.Password, ActorA));
        await env.UsersAsync(async u =>
        {
            var user = (await u.FindByEmailAsync(OperatorC))!;
            for (var i = 0; i < 5; i++)
            {
                await u.AccessFailedAsync(user);
            }

            return true;
        });
        Assert.NotNull((await env.MemberAsync(OperatorC)).LockedOutUntil);

        await env.StaffAsync(s => s.UnlockAsync(OperatorC, ActorA));

        Assert.Null((await env.MemberAsync(OperatorC)).LockedOutUntil);
        Assert.False(await env.UsersAsync(async u => await u.IsLockedOutAsync((await u.FindByEmailAsync(OperatorC))!)));
        var record = (await env.RecordsAsync(OperatorC))[^1];
        Assert.Equal("user.unlocked", record.Action);
        Assert.Contains("\"after\":{\"lockedOutUntil\":null,\"accessFailedCount\":0}", record.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ChangeAsync_UnknownAccount_NotFound(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);

        await Assert.ThrowsAsync<NotFoundException>(() => env.StaffAsync(s => s.UnlockAsync("nobody@ttp.test", ActorA)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task RecordAccountEventAsync_SignIn_RecordedWithTheStaffMemberAsActor(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(OperatorC, StaffRoles.Operator, StaffEnvironment.Password, Actor.System));

        await env.StaffAsync(s => s.RecordAccountEventAsync(OperatorC, "user.signed-in", "password-totp"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => env.StaffAsync(s => s.RecordAccountEventAsync(OperatorC, "user.anything", "x")));

        var record = (await env.RecordsAsync(OperatorC))[^1];
        Assert.Equal("user.signed-in", record.Action);
        Assert.Equal("user:" + OperatorC, record.Actor);
        Assert.Contains("password-totp", record.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EnableLockoutForAllAsync_AccountWithoutLockout_LockedAfterFiveFailures(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(OperatorC, StaffRoles.Operator, StaffEnvironment.Password, Actor.System));
        await env.UsersAsync(async u => await u.SetLockoutEnabledAsync((await u.FindByEmailAsync(OperatorC))!, false));

        var changed = await env.StaffAsync(s => s.EnableLockoutForAllAsync());

        Assert.Equal(1, changed);
        var locked = await env.UsersAsync(async u =>
        {
            var user = (await u.FindByEmailAsync(OperatorC))!;
            for (var i = 0; i < 5; i++)
            {
                await u.AccessFailedAsync(user);
            }

            return await u.IsLockedOutAsync(user);
        });
        Assert.True(locked);
    }
}
