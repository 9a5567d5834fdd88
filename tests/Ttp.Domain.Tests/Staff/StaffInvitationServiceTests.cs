using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Ttp.Domain.Data;
using Ttp.Domain.Integrity;
using Ttp.Domain.Staff;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Domain.Tests.Staff;

/// <summary>
/// Staff invitations on both databases: the token is stored only as its hash, the link lives 72 hours and works once
/// (also when two redemptions race), inviting again or revoking kills the earlier link, only an Administrator (or the
/// host operator) invites, audit records never hold the token or the password, and a row changed in SQL is refused.
/// </summary>
public sealed class StaffInvitationServiceTests
{
    private const string Admin = "admin@ttp.test";
    private const string Invitee = "new.operator@ttp.test";
    private const string InviteePassword = "Invitee-Chose-This-7";
    private static readonly Actor AdminActor = Actor.Staff(Admin);

    public static TheoryData<DatabaseProvider, string> ProvidersAndTamperedFields
    {
        get
        {
            var data = new TheoryData<DatabaseProvider, string>();
            foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
            {
                foreach (var column in new[] { "email", "roles", "expires_at", "token_hash", "record_mac" })
                {
                    data.Add(provider, column);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task InviteAsync_Administrator_TableHoldsOnlyTheTokenHash(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider);

        var issued = await env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Operator], AdminActor));

        Assert.Equal(43, issued.Token.Length);
        Assert.DoesNotContain(issued.Token, issued.ToString(), StringComparison.Ordinal);
        var row = Assert.Single(await env.QueryRawAsync("SELECT * FROM staff_invitations"));
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(issued.Token)), (byte[])row["token_hash"]!);
        Assert.Equal(Invitee, row["email"]);
        Assert.Equal("Operator", row["roles"]);
        Assert.Equal(AdminActor.Id, row["created_by"]);
        Assert.Equal(32, ((byte[])row["record_mac"]!).Length);
        Assert.DoesNotContain(issued.Token, Dump(row), StringComparison.Ordinal);
        var record = Assert.Single(await env.RecordsAsync(Invitee));
        Assert.Equal(StaffInvitationService.InvitedAction, record.Action);
        Assert.Equal(AdminActor.Id, record.Actor);
        Assert.Contains("Operator", record.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Token, record.Details, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString((byte[])row["token_hash"]!), record.Details, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String((byte[])row["token_hash"]!), record.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LookUpAsync_At72Hours_ExpiredAndRedeemRefused(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await CreateAsync(provider, clock);
        var invitedAt = clock.GetUtcNow();
        var issued = await env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Operator], AdminActor));
        Assert.Equal(AuditRecordTime(invitedAt) + TimeSpan.FromHours(72), issued.Invitation.ExpiresAt);

        clock.Advance(TimeSpan.FromHours(72) - TimeSpan.FromSeconds(1));
        var stillValid = await env.InvitationsAsync(s => s.LookUpAsync(issued.Token));
        Assert.Equal(Invitee, stillValid.Email);
        Assert.Single(await env.InvitationsAsync(s => s.ListPendingAsync()));

        clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await Assert.ThrowsAsync<RuleViolationException>(() => env.InvitationsAsync(s => s.LookUpAsync(issued.Token)));
        var redeem = await Assert.ThrowsAsync<RuleViolationException>(() => env.InvitationsAsync(s => s.RedeemAsync(issued.Token, InviteePassword)));

        Assert.Contains("expired", expired.Message, StringComparison.Ordinal);
        Assert.Contains("expired", redeem.Message, StringComparison.Ordinal);
        Assert.Null(await env.UsersAsync(u => u.FindByEmailAsync(Invitee)));
        Assert.Empty(await env.InvitationsAsync(s => s.ListPendingAsync()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RedeemAsync_ValidLink_CreatesAccountWithInvitedRolesAndChosenPassword(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider);
        var issued = await env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Operator, StaffRoles.Auditor], AdminActor));

        var shown = await env.InvitationsAsync(s => s.LookUpAsync(issued.Token));
        await env.InvitationsAsync(s => s.RedeemAsync(issued.Token, InviteePassword));

        Assert.Equal([StaffRoles.Auditor, StaffRoles.Operator], shown.Roles);
        var member = await env.MemberAsync(Invitee);
        Assert.Equal([StaffRoles.Auditor, StaffRoles.Operator], member.Roles);
        Assert.False(member.TwoFactorEnabled);
        Assert.True(await env.UsersAsync(async u => await u.CheckPasswordAsync((await u.FindByEmailAsync(Invitee))!, InviteePassword)));
        var row = Assert.Single(await env.QueryRawAsync("SELECT state, used_at FROM staff_invitations"));
        Assert.Equal((int)StaffInvitationState.Used, Convert.ToInt32(row["state"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(row["used_at"]);
        Assert.Empty(await env.InvitationsAsync(s => s.ListPendingAsync()));
        var records = await env.RecordsAsync(Invitee);
        Assert.Equal([StaffInvitationService.InvitedAction, "user.added"], records.Select(r => r.Action));
        Assert.Equal(Actor.Staff(Invitee).Id, records[1].Actor);
        Assert.Contains("\"via\":\"invitation\"", records[1].Details, StringComparison.Ordinal);
        Assert.Contains(AdminActor.Id, records[1].Details, StringComparison.Ordinal);
        Assert.All(records, r =>
        {
            Assert.DoesNotContain(issued.Token, r.Details, StringComparison.Ordinal);
            Assert.DoesNotContain(InviteePassword, r.Details, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RedeemAsync_SecondTime_RefusedAsUsedAndPasswordUnchanged(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider);
        var issued = await env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Operator], AdminActor));
        await env.InvitationsAsync(s => s.RedeemAsync(issued.Token, InviteePassword));

        var again = await Assert.ThrowsAsync<RuleViolationException>(() => env.InvitationsAsync(s => s.RedeemAsync(issued.Token, "Someone-Else-Now-8")));
        var lookUp = await Assert.ThrowsAsync<RuleViolationException>(() => env.InvitationsAsync(s => s.LookUpAsync(issued.Token)));

        Assert.Contains("already used", again.Message, StringComparison.Ordinal);
        Assert.Contains("already used", lookUp.Message, StringComparison.Ordinal);
        Assert.True(await env.UsersAsync(async u => await u.CheckPasswordAsync((await u.FindByEmailAsync(Invitee))!, InviteePassword)));
        Assert.Single(await env.RecordsAsync(Invitee), r => r.Action == "user.added");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RedeemAsync_TwoAtOnce_ExactlyOneAccount(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider);
        var issued = await env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Operator], AdminActor));
        string[] passwords = ["First-Racer-Pass-1", "Second-Racer-Pass-2"];
        using var start = new ManualResetEventSlim();

        var racers = passwords.Select(p => Task.Run(async () =>
        {
            start.Wait();
            return await Record.ExceptionAsync(() => env.InvitationsAsync(s => s.RedeemAsync(issued.Token, p)));
        })).ToArray();
        start.Set();
        var outcomes = await Task.WhenAll(racers);

        Assert.Single(outcomes, e => e is null);
        var refused = Assert.Single(outcomes, e => e is not null);
        Assert.IsType<RuleViolationException>(refused);
        var winner = passwords[Array.FindIndex(outcomes, e => e is null)];
        Assert.Single(await env.StaffAsync(s => s.ListAsync()), m => m.Email == Invitee);
        Assert.True(await env.UsersAsync(async u => await u.CheckPasswordAsync((await u.FindByEmailAsync(Invitee))!, winner)));
        Assert.Single(await env.RecordsAsync(Invitee), r => r.Action == "user.added");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RedeemAsync_PasswordAgainstPolicy_RefusedAndLinkStillUsable(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider);
        var issued = await env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Operator], AdminActor));

        var weak = await Assert.ThrowsAsync<DomainInputException>(() => env.InvitationsAsync(s => s.RedeemAsync(issued.Token, "short")));

        Assert.StartsWith("password:", weak.Message, StringComparison.Ordinal);
        Assert.Null(await env.UsersAsync(u => u.FindByEmailAsync(Invitee)));
        await env.InvitationsAsync(s => s.RedeemAsync(issued.Token, InviteePassword));
        Assert.NotNull(await env.UsersAsync(u => u.FindByEmailAsync(Invitee)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task InviteAsync_SameAddressAgain_EarlierLinkWithdrawn(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider);
        var first = await env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Operator], AdminActor));

        var second = await env.InvitationsAsync(s => s.InviteAsync(Invitee.ToUpperInvariant(), [StaffRoles.Auditor], AdminActor));

        var withdrawn = await Assert.ThrowsAsync<RuleViolationException>(() => env.InvitationsAsync(s => s.RedeemAsync(first.Token, InviteePassword)));
        Assert.Contains("withdrawn", withdrawn.Message, StringComparison.Ordinal);
        Assert.Equal([StaffRoles.Auditor], (await env.InvitationsAsync(s => s.LookUpAsync(second.Token))).Roles);
        Assert.Equal(second.Invitation.Id, Assert.Single(await env.InvitationsAsync(s => s.ListPendingAsync())).Id);
        var reinvited = (await env.RecordsAsync(Invitee))[^1];
        Assert.Equal(StaffInvitationService.InvitedAction, reinvited.Action);
        Assert.Contains(first.Invitation.Id.ToString(), reinvited.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RevokeAsync_PendingInvitation_LinkDeadAndAudited(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider);
        var issued = await env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Operator], AdminActor));

        await env.InvitationsAsync(async s => { await s.RevokeAsync(issued.Invitation.Id, AdminActor); return true; });

        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => env.InvitationsAsync(s => s.LookUpAsync(issued.Token)));
        Assert.Contains("withdrawn", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await env.InvitationsAsync(s => s.ListPendingAsync()));
        var record = (await env.RecordsAsync(Invitee))[^1];
        Assert.Equal(StaffInvitationService.RevokedAction, record.Action);
        Assert.Equal(AdminActor.Id, record.Actor);
        Assert.DoesNotContain(issued.Token, record.Details, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RuleViolationException>(() => env.InvitationsAsync(async s => { await s.RevokeAsync(issued.Invitation.Id, AdminActor); return true; }));
        await Assert.ThrowsAsync<NotFoundException>(() => env.InvitationsAsync(async s => { await s.RevokeAsync(Guid.NewGuid(), AdminActor); return true; }));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task InviteAsync_NotAnActiveAdministrator_RefusedAndNothingWritten(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider);
        await env.StaffAsync(s => s.AddAsync("operator@ttp.test", StaffRoles.Operator, StaffEnvironment.Password, Actor.System));
        await env.StaffAsync(s => s.AddAsync("old.admin@ttp.test", StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));
        await env.StaffAsync(s => s.DisableAsync("old.admin@ttp.test", AdminActor));
        var pending = await env.InvitationsAsync(s => s.InviteAsync("pending@ttp.test", [StaffRoles.Auditor], AdminActor));
        var before = await env.QueryRawAsync("SELECT id, state FROM staff_invitations");
        var auditBefore = await env.QueryRawAsync("SELECT COUNT(*) AS n FROM audit_events");

        foreach (var actor in new[] { Actor.Staff("operator@ttp.test"), Actor.Staff("old.admin@ttp.test"), Actor.Staff("nobody@ttp.test"), Actor.Tsm("acme") })
        {
            var invite = await Assert.ThrowsAsync<RuleViolationException>(() => env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Operator], actor)));
            var revoke = await Assert.ThrowsAsync<RuleViolationException>(() => env.InvitationsAsync(async s => { await s.RevokeAsync(pending.Invitation.Id, actor); return true; }));
            Assert.Contains("only an Administrator", invite.Message, StringComparison.Ordinal);
            Assert.Contains("only an Administrator", revoke.Message, StringComparison.Ordinal);
        }

        Assert.Equal(Dump(before), Dump(await env.QueryRawAsync("SELECT id, state FROM staff_invitations")));
        Assert.Equal(Dump(auditBefore), Dump(await env.QueryRawAsync("SELECT COUNT(*) AS n FROM audit_events")));
        await env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Operator], Actor.Cli("root")));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task InviteAsync_ExistingAccountIncludingOwn_Refused(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider);

        // An Administrator cannot invite their own address with more roles: nobody grants themselves a role.
        var own = await Assert.ThrowsAsync<RuleViolationException>(
            () => env.InvitationsAsync(s => s.InviteAsync(Admin, [StaffRoles.Administrator, StaffRoles.Operator], AdminActor)));

        Assert.Contains("already exists", own.Message, StringComparison.Ordinal);
        Assert.Empty(await env.QueryRawAsync("SELECT id FROM staff_invitations"));
        await Assert.ThrowsAsync<DomainInputException>(() => env.InvitationsAsync(s => s.InviteAsync("not-an-address", [StaffRoles.Operator], AdminActor)));
        await Assert.ThrowsAsync<DomainInputException>(() => env.InvitationsAsync(s => s.InviteAsync(Invitee, [], AdminActor)));
        await Assert.ThrowsAsync<DomainInputException>(() => env.InvitationsAsync(s => s.InviteAsync(Invitee, ["Superuser"], AdminActor)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task LookUpAsync_UnknownOrMalformedToken_NotFound(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider);
        var issued = await env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Operator], AdminActor));

        foreach (var token in new[] { OneTimeToken.Create(out _), issued.Token[..^1], "", "not a token!", new string('A', 200), null })
        {
            var unknown = await Assert.ThrowsAsync<NotFoundException>(() => env.InvitationsAsync(s => s.LookUpAsync(token)));
            Assert.Contains("not known", unknown.Message, StringComparison.Ordinal);
        }

        await Assert.ThrowsAsync<NotFoundException>(() => env.InvitationsAsync(s => s.RedeemAsync(OneTimeToken.Create(out _), InviteePassword)));
        Assert.Equal(Invitee, (await env.InvitationsAsync(s => s.LookUpAsync(issued.Token))).Email);
    }

    [Theory]
    [MemberData(nameof(ProvidersAndTamperedFields))]
    public async Task LookUpAsync_RowChangedInSql_RefusedRaisedAndNoAccount(DatabaseProvider provider, string field)
    {
        await using var env = await CreateAsync(provider);
        var issued = await env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Auditor], AdminActor));

        // The writer's aim: another address, more roles, a longer life, their own token, or a row without its MAC.
        var attackerToken = OneTimeToken.Create(out var attackerHash);
        var set = (field, provider) switch
        {
            ("email", _) => "email = 'attacker@evil.test', normalized_email = 'ATTACKER@EVIL.TEST'",
            ("roles", _) => "roles = 'Administrator,Auditor'",
            ("expires_at", DatabaseProvider.Sqlite) => "expires_at = expires_at + 86400000000",
            ("expires_at", _) => "expires_at = expires_at + interval '1 day'",
            ("token_hash", DatabaseProvider.Sqlite) => $"token_hash = X'{Convert.ToHexString(attackerHash)}'",
            ("token_hash", _) => $"token_hash = decode('{Convert.ToHexString(attackerHash)}', 'hex')",
            ("record_mac", _) => "record_mac = NULL",
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown column."),
        };
        Assert.Equal(1, await env.ExecuteRawAsync($"UPDATE staff_invitations SET {set}"));
        var token = field == "token_hash" ? attackerToken : issued.Token;

        var lookUp = await Assert.ThrowsAsync<IntegrityException>(() => env.InvitationsAsync(s => s.LookUpAsync(token)));
        var redeem = await Assert.ThrowsAsync<IntegrityException>(() => env.InvitationsAsync(s => s.RedeemAsync(token, InviteePassword)));

        Assert.Contains("does not match its MAC", lookUp.Message, StringComparison.Ordinal);
        Assert.Contains("does not match its MAC", redeem.Message, StringComparison.Ordinal);
        Assert.Null(await env.UsersAsync(u => u.FindByEmailAsync(Invitee)));
        Assert.Null(await env.UsersAsync(u => u.FindByEmailAsync("attacker@evil.test")));
        Assert.True(Assert.Single(await env.InvitationsAsync(s => s.ListPendingAsync())).FailsIntegrity);
        await using var db = env.Database.Factory.CreateDbContext();
        var alarm = Assert.Single(await db.AuditEvents.AsNoTracking().Where(e => e.Action == IntegrityAlarm.RecordRejectedAction).ToListAsync());
        Assert.Equal($"staff invitation {issued.Invitation.Id:D}", alarm.Subject);
        Assert.DoesNotContain(token, alarm.Details, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task RedeemAsync_UsedInvitationSetBackToPendingInSql_Refused(DatabaseProvider provider)
    {
        await using var env = await CreateAsync(provider);
        var issued = await env.InvitationsAsync(s => s.InviteAsync(Invitee, [StaffRoles.Operator], AdminActor));
        await env.InvitationsAsync(s => s.RedeemAsync(issued.Token, InviteePassword));
        await env.UsersAsync(async u => await u.DeleteAsync((await u.FindByEmailAsync(Invitee))!));

        Assert.Equal(1, await env.ExecuteRawAsync("UPDATE staff_invitations SET state = 0, used_at = NULL, user_id = NULL"));

        await Assert.ThrowsAsync<IntegrityException>(() => env.InvitationsAsync(s => s.RedeemAsync(issued.Token, "Taken-Over-Pass-99")));
        Assert.Null(await env.UsersAsync(u => u.FindByEmailAsync(Invitee)));
    }

    private static async Task<StaffEnvironment> CreateAsync(DatabaseProvider provider, TimeProvider? time = null)
    {
        var env = await StaffEnvironment.CreateAsync(provider, time);
        await env.StaffAsync(s => s.AddAsync(Admin, StaffRoles.Administrator, StaffEnvironment.Password, Actor.System));
        return env;
    }

    // Times are kept to the microsecond.
    private static DateTimeOffset AuditRecordTime(DateTimeOffset time) => Ttp.Domain.Audit.AuditRecord.TruncateToMicroseconds(time);

    private static string Dump(IEnumerable<IReadOnlyDictionary<string, object?>> rows) => string.Join('\n', rows.Select(Dump));

    private static string Dump(IReadOnlyDictionary<string, object?> row) => string.Join('|', row.Select(c => c.Key + "=" + c.Value switch
    {
        byte[] bytes => Convert.ToHexString(bytes) + "/" + Encoding.UTF8.GetString(bytes),
        null => "null",
        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    }));
}
