using Ttp.Domain.Data;
using Ttp.Domain.Staff;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Staff;

/// <summary>
/// A staff member's own account (<see cref="StaffAccountService"/>) on both databases, the password rules in words
/// (<see cref="PasswordRules"/>) and recovery codes as typed (<see cref="RecoveryCodes"/>).
/// </summary>
public sealed class StaffAccountServiceTests
{
    private const string Email = "operator@ttp.test";
    private const string NewPassword = "Another-Staple-Horse-7";

    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ChangePasswordAsync_AddedWithChangeRequired_RequirementClearedNewPasswordWorksAndAudited(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(Email, [StaffRoles.Operator], StaffEnvironment.Password, Actor.Cli("root"), passwordChangeRequired: true));
        Assert.True((await env.AccountsAsync(a => a.AccountAsync(Email))).PasswordChangeRequired);
        var stampBefore = await env.UsersAsync(async u => (await u.FindByEmailAsync(Email))!.SecurityStamp);

        await env.AccountsAsync(async a =>
        {
            await a.ChangePasswordAsync(Email, StaffEnvironment.Password, NewPassword);
            return true;
        });

        Assert.False((await env.AccountsAsync(a => a.AccountAsync(Email))).PasswordChangeRequired);
        Assert.True(await env.UsersAsync(async u => await u.CheckPasswordAsync((await u.FindByEmailAsync(Email))!, NewPassword)));
        Assert.False(await env.UsersAsync(async u => await u.CheckPasswordAsync((await u.FindByEmailAsync(Email))!, StaffEnvironment.Password)));
        Assert.NotEqual(stampBefore, await env.UsersAsync(async u => (await u.FindByEmailAsync(Email))!.SecurityStamp));
        var records = await env.RecordsAsync(Email);
        Assert.Contains("\"passwordChangeRequired\":true", records.Single(r => r.Action == "user.added").Details, StringComparison.Ordinal);
        var changed = records.Single(r => r.Action == StaffAccountService.PasswordChangedAction);
        Assert.Equal("user:" + Email, changed.Actor);
        Assert.All(records, r => Assert.DoesNotContain(NewPassword, r.Details, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ChangePasswordAsync_WrongCurrentPassword_RefusedNamingTheFieldCountedAndAudited(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(Email, StaffRoles.Operator, StaffEnvironment.Password, Actor.System));

        var refused = await Assert.ThrowsAsync<DomainInputException>(() => env.AccountsAsync(async a =>
        {
            await a.ChangePasswordAsync(Email, "Not-My-Password-1", NewPassword);
            return true;
        }));

        Assert.StartsWith("currentPassword: ", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, await env.UsersAsync(async u => (await u.FindByEmailAsync(Email))!.AccessFailedCount));
        var record = (await env.RecordsAsync(Email)).Single(r => r.Action == StaffAccountService.PasswordChangeRefusedAction);
        Assert.Equal("denied", record.Outcome);
        Assert.DoesNotContain("Not-My-Password-1", record.Details, StringComparison.Ordinal);
        Assert.True(await env.UsersAsync(async u => await u.CheckPasswordAsync((await u.FindByEmailAsync(Email))!, StaffEnvironment.Password)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task RegenerateRecoveryCodesAsync_NoAuthenticator_RefusedAndNothingRecorded(DatabaseProvider provider)
    {
        await using var env = await StaffEnvironment.CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync(Email, StaffRoles.Auditor, StaffEnvironment.Password, Actor.System));

        await Assert.ThrowsAsync<RuleViolationException>(() => env.AccountsAsync(a => a.RegenerateRecoveryCodesAsync(Email)));

        Assert.DoesNotContain(await env.RecordsAsync(Email), r => r.Action == StaffAccountService.RecoveryCodesRegeneratedAction);
    }

    [Fact]
    public async Task PasswordRules_IdentityPolicy_StatedAndWhatIsMissingNamed()
    {
        await using var env = await StaffEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        var rules = env.Service<PasswordRules>();

        Assert.Equal("At least 12 characters, with a lower-case letter, an upper-case letter, a digit and a symbol (a character that is neither a letter nor a digit, such as - or !).", rules.Description);
        Assert.Equal("The password needs an upper-case letter, a digit and a symbol (a character that is neither a letter nor a digit, such as - or !).", rules.Problem("aaaaaaaaaaaa"));
        Assert.Equal("The password needs at least 12 characters (it has 5).", rules.Problem("Ab1-x"));
        Assert.Null(rules.Problem(NewPassword));
    }

    [Theory]
    [InlineData("BCDFG-HJKMN", "BCDFG-HJKMN")]
    [InlineData("bcdfghjkmn", "BCDFG-HJKMN")]
    [InlineData(" bcd fg-hjk mn ", "BCDFG-HJKMN")]
    [InlineData("BCDFG--HJKMN", "BCDFG-HJKMN")]
    [InlineData("BCDFGHJKM", "BCDFGHJKM")]
    [InlineData(null, "")]
    public void Canonical_TypedAnyWay_PrintedForm(string? typed, string expected) =>
        Assert.Equal(expected, RecoveryCodes.Canonical(typed));

    [Fact]
    public void New_TenDistinctCodes_InIdentitysPrintedForm()
    {
        var codes = RecoveryCodes.New();

        Assert.Equal(RecoveryCodes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.Matches("^[23456789BCDFGHJKMNPQRTVWXY]{5}-[23456789BCDFGHJKMNPQRTVWXY]{5}$", c));
        Assert.All(codes, c => Assert.Equal(c, RecoveryCodes.Canonical(c)));
    }
}
