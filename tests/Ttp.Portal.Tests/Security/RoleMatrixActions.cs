using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Domain;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;
using Ttp.Portal.Tests.Account;

namespace Ttp.Portal.Tests.Security;

/// <summary>
/// One state-changing portal action of the role matrix. Each actor gets its own subject (<see cref="MatrixSubject.Name"/>),
/// which <see cref="Arrange"/> puts in the state the action needs; <see cref="Call"/> goes through the edge service the
/// page calls; <see cref="Observe"/> reads the subject's state through the domain; after an allowed call it must read
/// <see cref="Expected"/>, after a denied one what it read before; an allowed call appends a <see cref="Audit"/> record.
/// </summary>
internal sealed record MatrixAction(
    string Name,
    string[] Allowed,
    string Audit,
    Func<MatrixSubject, Task> Arrange,
    Func<MatrixEdges, MatrixSubject, Task> Call,
    Func<MatrixSubject, Task<string>> Observe,
    Func<MatrixSubject, string> Expected)
{
    public override string ToString() => Name;
}

/// <summary>Every state-changing action of the portal, through the edge services the pages call, and the roles it admits.</summary>
internal static class RoleMatrixActions
{
    public const string Iin = "A0000001";

    private const string A = StaffRoles.Administrator;
    private const string O = StaffRoles.Operator;
    private const string S = StaffRoles.SecurityOfficer;
    private const string K = StaffRoles.KeyCustodian;
    private const string U = StaffRoles.Auditor;

    private static readonly Func<MatrixSubject, Task> Nothing = _ => Task.CompletedTask;

    public static IReadOnlyList<MatrixAction> All { get; } =
    [
        new("tsm.register", [O], "tsm.registered",
            Nothing,
            (e, x) => e.Tsms.RegisterAsync(new TsmRegistration(x.Name, null, [Iin]), x.World.Certificate(x.Name).RawData),
            x => x.World.TsmAsync(x.Name, t => $"{t.State}, certificates: {x.World.Certificates(t)}"),
            x => $"PendingApproval, certificates: {x.Name} current"),
        new("tsm.approve", [O], "tsm.approved",
            x => x.World.AddPendingTsmAsync(x.Name),
            (e, x) => e.Tsms.ApproveAsync(x.Name),
            x => x.World.TsmAsync(x.Name, t => $"{t.State}, approved by {t.ApprovedBy ?? "nobody"}"),
            x => $"Active, approved by user:{x.ActorEmail}"),
        new("tsm.reject", [O], "tsm.rejected",
            x => x.World.AddPendingTsmAsync(x.Name),
            (e, x) => e.Tsms.RejectAsync(x.Name, "not ours"),
            StateOf,
            _ => "Rejected: not ours"),
        new("tsm.suspend", [O], "tsm.suspended",
            x => x.World.AddActiveTsmAsync(x.Name),
            (e, x) => e.Tsms.SuspendAsync(x.Name, "audit finding"),
            StateOf,
            _ => "Suspended: audit finding"),
        new("tsm.reinstate", [O], "tsm.reinstatement-proposed",
            async x =>
            {
                await x.World.AddActiveTsmAsync(x.Name);
                await x.World.Tsms.SuspendAsync(x.Name, "audit finding", Actor.System);
            },
            (e, x) => e.Tsms.ReinstateAsync(x.Name, "finding closed"),
            x => WithPending(x, StateOf),
            _ => "Suspended: audit finding; pending: reinstate: finding closed"),
        new("tsm.scope", [O], "tsm.scope-updated",
            x => x.World.AddActiveTsmAsync(x.Name),
            (e, x) => e.Tsms.UpdateScopeAsync(x.Name, ["A0000002", "A0000003"], 40),
            x => WithPending(x, ScopeOf),
            _ => "issuers (none), rate limit 40; pending: add issuers A0000002,A0000003"),
        new("tsm.certificate-add", [O], "tsm.certificate-proposed",
            x => x.World.AddActiveTsmAsync(x.Name),
            (e, x) => e.Tsms.AddCertificateAsync(x.Name, x.World.Certificate(x.Name + "/next").RawData),
            x => WithPending(x, CertificatesOf),
            x => $"{x.Name} current; pending: add certificate {x.World.Thumbprint(x.Name + "/next")}"),
        new("tsm.change-approve", [O], "tsm.change-approved",
            async x =>
            {
                await x.World.AddActiveTsmAsync(x.Name);
                await x.World.Tsms.UpdateScopeAsync(x.Name, [Iin, "A0000009"], null, Actor.Staff(RoleMatrixWorld.Registrar));
            },
            async (e, x) => await e.Tsms.ApproveChangeAsync((await x.World.PendingAsync(x.Name)).Single().Id),
            x => WithPending(x, ScopeOf),
            _ => "issuers A0000001,A0000009, rate limit default; pending: none"),
        new("tsm.change-reject", [O], "tsm.change-rejected",
            async x =>
            {
                await x.World.AddActiveTsmAsync(x.Name);
                await x.World.Tsms.UpdateScopeAsync(x.Name, [Iin, "A0000009"], null, Actor.Staff(RoleMatrixWorld.Registrar));
            },
            async (e, x) => await e.Tsms.RejectChangeAsync((await x.World.PendingAsync(x.Name)).Single().Id, "not agreed"),
            x => WithPending(x, ScopeOf),
            _ => "issuers A0000001, rate limit default; pending: none"),
        new("tsm.certificate-retire", [O], "tsm.certificate-retired",
            async x =>
            {
                await x.World.AddActiveTsmAsync(x.Name);
                await x.World.Tsms.AddCertificateAsync(x.Name, x.World.Certificate(x.Name + "/next").RawData, Actor.System);
                await x.World.ApprovePendingAsync(x.Name);
            },
            (e, x) => e.Tsms.RetireCertificateAsync(x.Name, x.World.Thumbprint(x.Name), x.World.RetireAt),
            CertificatesOf,
            x => $"{x.Name} retires at {RoleMatrixWorld.Stored(x.World.RetireAt):O}, {x.Name}/next current"),
        new("tsm.revoke", [O], "tsm.revoked",
            x => x.World.AddActiveTsmAsync(x.Name),
            (e, x) => e.Tsms.RevokeAsync(x.Name, "contract ended"),
            StateOf,
            _ => "Revoked: contract ended"),
        new("issuer-key.suspend", [S], "issuer-key.suspended",
            x => x.World.AddActiveKeySetAsync(x),
            (e, x) => e.IssuerKeys.SuspendAsync(x.Iin, x.Kvn, "custodian left"),
            x => x.World.KeySetAsync(x),
            _ => "Suspended"),
        new("issuer-key.reinstate", [S], "issuer-key.reinstated",
            async x =>
            {
                await x.World.AddActiveKeySetAsync(x);
                await x.World.Services.GetRequiredService<IssuerKeyService>().SuspendAsync(x.Iin, x.Kvn, Actor.System);
            },
            (e, x) => e.IssuerKeys.ReinstateAsync(x.Iin, x.Kvn, "custodian replaced"),
            x => x.World.KeySetAsync(x),
            _ => "Active"),
        new("issuer-key.retire", [S], "issuer-key.retired",
            x => x.World.AddActiveKeySetAsync(x),
            (e, x) => e.IssuerKeys.RetireAsync(x.Iin, x.Kvn, "replaced"),
            x => x.World.KeySetAsync(x),
            _ => "Retired"),
        new("issuer-key.activate", [S], "issuer-key.activated",
            x => x.World.AddPendingKeySetAsync(x),
            (e, x) => e.IssuerKeys.ActivateAsync(x.Iin, x.Kvn),
            x => x.World.KeySetAsync(x),
            _ => "Active"),
        new("ceremony.open", [S], "ceremony.opened",
            Nothing,
            (e, x) => e.Ceremonies.OpenIssuerMasterKeyImportAsync(x.World.Ceremonies.Import(x.Name), 16, 2, null),
            x => x.World.Ceremonies.StateAsync(x),
            _ => "Open, 0 of 2"),
        new("ceremony.enter", [K], "ceremony.component-entered",
            x => x.World.Ceremonies.OpenAsync(x),
            (e, x) => e.Ceremonies.EnterComponentAsync(x.World.Ceremonies.Id(x.Name), RoleMatrixCeremonies.Component(), RoleMatrixCeremonies.CheckValue(RoleMatrixCeremonies.Component1)),
            x => x.World.Ceremonies.StateAsync(x),
            _ => "CollectingComponents, 1 of 2"),
        new("ceremony.receive", [K], "ceremony.component-received",
            x => x.World.Ceremonies.OpenGenerateKekAsync(x),
            async (e, x) =>
            {
                using var received = await e.Ceremonies.ReceiveComponentAsync(x.World.Ceremonies.Id(x.Name));
            },
            x => x.World.Ceremonies.StateAsync(x),
            _ => "CollectingComponents, 1 of 2"),
        new("ceremony.acknowledge", [K], "ceremony.component-acknowledged",
            x => x.World.Ceremonies.OpenGenerateKekAndReceiveAsync(x),
            (e, x) => e.Ceremonies.AcknowledgeComponentAsync(x.World.Ceremonies.Id(x.Name)),
            x => x.World.Ceremonies.AcknowledgementsAsync(x),
            _ => "1 received, 1 acknowledged"),
        new("ceremony.confirm", [S], "ceremony.completed",
            x => x.World.Ceremonies.OpenAndFillAsync(x),
            (e, x) => e.Ceremonies.ConfirmAsync(x.World.Ceremonies.Id(x.Name), RoleMatrixCeremonies.CombinedCheckValue()),
            x => x.World.Ceremonies.StateAsync(x),
            _ => "Completed, 2 of 2"),
        new("ceremony.abort", [S], "ceremony.aborted",
            x => x.World.Ceremonies.OpenAsync(x),
            (e, x) => e.Ceremonies.AbortAsync(x.World.Ceremonies.Id(x.Name), "matrix"),
            x => x.World.Ceremonies.StateAsync(x),
            _ => "Aborted, 0 of 2"),
        new("kek.activate", [S], "kek.activated",
            x => x.World.AddKekAsync(x),
            (e, x) => e.Keks.ActivateAsync(x.KekTsm, x.KekIndex, x.KekVersion),
            x => x.World.KeksAsync(x),
            _ => "v1 Retired, v2 Active"),
        new("kek.retire", [S], "kek.retired",
            x => x.World.AddKekAsync(x),
            (e, x) => e.Keks.RetireAsync(x.KekTsm, x.KekIndex, x.KekVersion, "TSM lost its HSM"),
            x => x.World.KeksAsync(x),
            _ => "v1 Retired"),
        new("staff.invite", [A], "user.invited",
            Nothing,
            (e, x) => e.Staff.InviteAsync(x.Name, [K], RoleMatrixWorld.PortalAddress),
            InvitationOf,
            _ => "account absent; invitation pending for KeyCustodian"),
        new("staff.invitation-revoke", [A], "user.invitation-revoked",
            x => x.World.InviteAsync(x.Name, [K]),
            async (e, x) => await e.Staff.RevokeInvitationAsync(await x.World.InvitationIdAsync(x.Name)),
            InvitationOf,
            _ => "account absent; no pending invitation"),
        new("staff.roles", [A], "user.roles-changed",
            x => x.World.AddStaffAsync(x.Name, [U]),
            (e, x) => e.Staff.ChangeRolesAsync(x.Name, [S, K]),
            RolesOf,
            _ => "roles: KeyCustodian, SecurityOfficer"),
        new("staff.disable", [A], "user.disabled",
            x => x.World.AddStaffAsync(x.Name, [U]),
            (e, x) => e.Staff.DisableAsync(x.Name),
            EnabledOf,
            _ => "disabled"),
        new("staff.enable", [A], "user.enabled",
            async x =>
            {
                await x.World.AddStaffAsync(x.Name, [U]);
                await x.World.WithStaffServiceAsync(s => s.DisableAsync(x.Name, Actor.System));
            },
            (e, x) => e.Staff.EnableAsync(x.Name),
            EnabledOf,
            _ => "enabled"),
        new("staff.reset-2fa", [A], "user.2fa-reset",
            x => x.World.AddStaffAsync(x.Name, [K], TestTotp.Key),
            (e, x) => e.Staff.ResetTwoFactorAsync(x.Name),
            x => x.World.StaffAsync(x.Name, async (users, user) =>
                $"two-factor {(user.TwoFactorEnabled ? "on" : "off")}, "
                + $"authenticator {(await users.GetAuthenticatorKeyAsync(user) is null ? "none" : "enrolled")}, "
                + $"{await users.CountRecoveryCodesAsync(user)} recovery codes"),
            _ => "two-factor off, authenticator none, 0 recovery codes"),
        new("staff.unlock", [A], "user.unlocked",
            async x =>
            {
                await x.World.AddStaffAsync(x.Name, [U]);
                await x.World.ChangeStaffAsync(x.Name, async (users, user) =>
                {
                    user.LockoutEnd = x.World.Clock.GetUtcNow().AddMinutes(15);
                    user.AccessFailedCount = 5;
                    await users.UpdateAsync(user);
                });
            },
            (e, x) => e.Staff.UnlockAsync(x.Name),
            x => x.World.StaffAsync(x.Name, (_, user) => Task.FromResult(
                $"lockout end {user.LockoutEnd?.ToString("O", CultureInfo.InvariantCulture) ?? "none"}, {user.AccessFailedCount} failed sign-ins")),
            _ => "lockout end none, 0 failed sign-ins"),
    ];

    private static Task<string> StateOf(MatrixSubject x) => x.World.TsmAsync(x.Name, t => $"{t.State}: {t.StateReason ?? "no reason"}");

    private static Task<string> CertificatesOf(MatrixSubject x) => x.World.TsmAsync(x.Name, x.World.Certificates);

    private static Task<string> ScopeOf(MatrixSubject x) => x.World.TsmAsync(x.Name, t =>
        $"issuers {(t.Scope.Count == 0 ? "(none)" : string.Join(",", t.Scope.Select(s => s.Iin).Order(StringComparer.Ordinal)))}, "
        + $"rate limit {t.RateLimitPerSecond?.ToString(CultureInfo.InvariantCulture) ?? "default"}");

    // The state, and the changes that wait for a second Operator (widening changes are proposed, not applied).
    private static async Task<string> WithPending(MatrixSubject x, Func<MatrixSubject, Task<string>> state)
    {
        var pending = await x.World.PendingAsync(x.Name);
        return $"{await state(x)}; pending: {(pending.Count == 0 ? "none" : string.Join(" | ", pending.Select(c => c.Summary)))}";
    }

    private static Task<string> RolesOf(MatrixSubject x) =>
        x.World.StaffAsync(x.Name, async (users, user) => "roles: " + string.Join(", ", (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal)));

    private static async Task<string> InvitationOf(MatrixSubject x) =>
        $"account {await x.World.StaffAsync(x.Name, (_, _) => Task.FromResult("present"))}; {await x.World.InvitationAsync(x.Name)}";

    private static Task<string> EnabledOf(MatrixSubject x) =>
        x.World.StaffAsync(x.Name, (_, user) => Task.FromResult(user.IsDisabled ? "disabled" : "enabled"));
}
