using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;
using Ttp.Portal.Accreditation;
using Ttp.Portal.Ceremonies;
using Ttp.Portal.IssuerKeys;
using Ttp.Portal.Security;
using Ttp.Portal.Staff;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;

namespace Ttp.Portal.Tests.Security;

/// <summary>
/// The portal of the role matrix: a <see cref="PortalHost"/> whose <see cref="TimeProvider"/> is a frozen
/// <see cref="MatrixClock"/>, with the helpers the action table needs to arrange a subject (a TSM or a staff account),
/// to read its state back through the domain (<see cref="TsmService"/>, <see cref="UserManager{TUser}"/>), never through
/// the edge services under test, and to read the audit trail.
/// </summary>
internal sealed class RoleMatrixWorld : IDisposable
{
    /// <summary>The registrar of pending TSMs and approver of active ones: never one of the matrix's actors.</summary>
    public const string Registrar = "ops@ttp.test";

    // The portal is _host's settings (data directory, ports) with the clock replaced; _host itself is never started, so
    // that only one portal uses that data directory and those ports.
    private readonly PortalHost _host = new();
    private readonly WebApplicationFactory<Program> _portal;
    private readonly Dictionary<string, X509Certificate2> _certificates = [];
    private bool _registrarAdded;
    private RoleMatrixCeremonies? _ceremonies;
    private bool _ceremonyStaffAdded;
    private int _lastKvn;

    public RoleMatrixWorld()
    {
        _portal = _host.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(Clock);
        }));
        if (Services.GetRequiredService<TimeProvider>() != Clock)
        {
            throw new InvalidOperationException("the portal does not take its time from the matrix clock");
        }
    }

    /// <summary>The portal address the matrix's invitations build their links on.</summary>
    public static Uri PortalAddress { get; } = new("https://portal.ttp.test/");

    /// <summary>The portal's clock: now, with a sub-microsecond part that the database does not keep.</summary>
    public MatrixClock Clock { get; } = new(WithTicks(DateTimeOffset.UtcNow));

    public IServiceProvider Services => _portal.Services;

    /// <summary>The subjects of the ceremony actions.</summary>
    public RoleMatrixCeremonies Ceremonies => _ceremonies ??= new RoleMatrixCeremonies(this);

    public TsmService Tsms => Services.GetRequiredService<TsmService>();

    public TsmChangeService Changes => Services.GetRequiredService<TsmChangeService>();

    /// <summary>The retirement time given to the certificate-retire action: a day after the portal's now.</summary>
    public DateTimeOffset RetireAt => Clock.GetUtcNow().AddDays(1);

    /// <summary>A time as the database keeps it: UTC microseconds (<c>UnixMicrosecondsConverter</c>).</summary>
    public static DateTimeOffset Stored(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    /// <summary>The test's client certificate called <paramref name="label"/> (created on first use).</summary>
    public X509Certificate2 Certificate(string label)
    {
        if (!_certificates.TryGetValue(label, out var certificate))
        {
            certificate = TestClientCertificates.Create(label);
            _certificates.Add(label, certificate);
        }

        return certificate;
    }

    /// <summary>The SHA-256 of the certificate called <paramref name="label"/>, uppercase hex, computed here.</summary>
    public string Thumbprint(string label) => Convert.ToHexString(SHA256.HashData(Certificate(label).RawData));

    /// <summary>The labels of a TSM's certificates, sorted, each with its retirement ("retires at ..." or "current").</summary>
    public string Certificates(Tsm tsm) => string.Join(", ", tsm.Certificates
        .Select(c => (Label: _certificates.Keys.FirstOrDefault(l => Thumbprint(l) == c.Sha256Thumbprint) ?? "unknown certificate", c.RetiredAt))
        .OrderBy(c => c.Label, StringComparer.Ordinal)
        .Select(c => c.RetiredAt is { } at ? $"{c.Label} retires at {at:O}" : $"{c.Label} current"));

    /// <summary>Creates the staff account an actor of the matrix signs in as (enrolled, but for Auditors).</summary>
    public Task AddActorAsync(string email, string role) =>
        AddStaffAsync(email, [role], role == StaffRoles.Auditor ? null : TestTotp.Key);

    /// <summary>Creates a staff account through <see cref="StaffService"/>, enrolled with <paramref name="authenticatorKey"/> if given.</summary>
    public async Task AddStaffAsync(string email, string[] roles, string? authenticatorKey = null)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StaffService>().AddAsync(email, roles, PortalHost.StaffPassword, Actor.System);
        if (authenticatorKey is not null)
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            Require(await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", authenticatorKey));
            Require(await users.SetTwoFactorEnabledAsync(user, true));
            _ = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
        }
    }

    /// <summary>Invites <paramref name="email"/> through the domain as the system (arrangement only).</summary>
    public async Task InviteAsync(string email, string[] roles)
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<StaffInvitationService>().InviteAsync(email, roles, Actor.System);
    }

    /// <summary>The id of the pending invitation of <paramref name="email"/>.</summary>
    public async Task<Guid> InvitationIdAsync(string email) =>
        (await PendingInvitationsAsync()).Single(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase)).Id;

    /// <summary>The pending invitation of <paramref name="email"/>, read through the domain: its roles, or that there is none.</summary>
    public async Task<string> InvitationAsync(string email) =>
        (await PendingInvitationsAsync()).SingleOrDefault(i => string.Equals(i.Email, email, StringComparison.OrdinalIgnoreCase)) is { } pending
            ? "invitation pending for " + string.Join(", ", pending.Roles)
            : "no pending invitation";

    private async Task<IReadOnlyList<StaffInvitationInfo>> PendingInvitationsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<StaffInvitationService>().ListPendingAsync();
    }

    /// <summary>Runs <paramref name="change"/> on the domain's <see cref="StaffService"/> (arrangement only).</summary>
    public async Task WithStaffServiceAsync(Func<StaffService, Task> change)
    {
        await using var scope = Services.CreateAsyncScope();
        await change(scope.ServiceProvider.GetRequiredService<StaffService>());
    }

    /// <summary>Changes a staff account through <see cref="UserManager{TUser}"/> (arrangement only).</summary>
    public async Task ChangeStaffAsync(string email, Func<UserManager<StaffUser>, StaffUser, Task> change)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        await change(users, (await users.FindByEmailAsync(email))!);
    }

    /// <summary>Describes a staff account read through a fresh <see cref="UserManager{TUser}"/>; "absent" if there is none.</summary>
    public async Task<string> StaffAsync(string email, Func<UserManager<StaffUser>, StaffUser, Task<string>> describe)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        return await users.FindByEmailAsync(email) is { } user ? await describe(users, user) : "absent";
    }

    /// <summary>Registers a TSM as <see cref="Registrar"/> (pending approval), with the certificate labelled by its name.</summary>
    public Task<Tsm> AddPendingTsmAsync(string name) =>
        Tsms.RegisterAsync(name, null, Certificate(name).RawData, [RoleMatrixActions.Iin], Actor.Staff(Registrar));

    /// <summary>Registers a TSM and has <see cref="Registrar"/> approve it.</summary>
    public async Task<Tsm> AddActiveTsmAsync(string name)
    {
        if (!_registrarAdded)
        {
            await AddStaffAsync(Registrar, [StaffRoles.Operator], TestTotp.Key);
            _registrarAdded = true;
        }

        await Tsms.RegisterAsync(name, null, Certificate(name).RawData, [RoleMatrixActions.Iin], Actor.System);
        return await Tsms.ApproveAsync(name, Registrar, Actor.Staff(Registrar));
    }

    /// <summary>The changes of a TSM waiting for a second Operator (none when the TSM is absent).</summary>
    public async Task<IReadOnlyList<TsmChange>> PendingAsync(string name)
    {
        try
        {
            return await Changes.ListAsync(name);
        }
        catch (NotFoundException)
        {
            return [];
        }
    }

    /// <summary>Approves every pending change of a TSM as <see cref="Registrar"/> (set-up: the proposer was someone else).</summary>
    public async Task ApprovePendingAsync(string name)
    {
        foreach (var change in await Changes.ListAsync(name))
        {
            await Changes.ApproveAsync(change.Id, Registrar, Actor.Staff(Registrar));
        }
    }

    /// <summary>Describes a TSM read through <see cref="TsmService"/>; "absent" if there is none.</summary>
    public async Task<string> TsmAsync(string name, Func<Tsm, string> describe)
    {
        try
        {
            return describe(await Tsms.GetAsync(name));
        }
        catch (NotFoundException)
        {
            return "absent";
        }
    }

    /// <summary>A key set of its own for one action and actor: the next KVN of <see cref="KeySetIin"/>, as its audit subject.</summary>
    public string NextKeySetSubject() => IssuerKeyService.AuditSubject(KeySetIin, ++_lastKvn);

    /// <summary>The issuer of the matrix's key sets.</summary>
    public const string KeySetIin = "B0000001";

    /// <summary>Imports the subject's key set through the domain as the system and leaves it pending activation (arrangement only).</summary>
    public async Task AddPendingKeySetAsync(MatrixSubject subject)
    {
        var mask = RandomNumberGenerator.GetBytes(16);
        await Services.GetRequiredService<IssuerKeyService>().ImportAsync(
            new IssuerKeyImport(subject.Iin, subject.Kvn, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11),
            [mask.Select(b => (byte)(b ^ 0x5A)).ToArray(), mask], Actor.System);
    }

    /// <summary>Imports and activates the subject's key set through the domain as the system (arrangement only).</summary>
    public async Task AddActiveKeySetAsync(MatrixSubject subject)
    {
        var keys = Services.GetRequiredService<IssuerKeyService>();
        var mask = RandomNumberGenerator.GetBytes(16);
        await keys.ImportAsync(
            new IssuerKeyImport(subject.Iin, subject.Kvn, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11),
            [mask.Select(b => (byte)(b ^ 0x5A)).ToArray(), mask], Actor.System);
        await keys.ActivateAsync(subject.Iin, subject.Kvn, Actor.System);
    }

    /// <summary>The state of the subject's key set read through <see cref="IssuerKeyService"/>; "absent" if there is none.</summary>
    public async Task<string> KeySetAsync(MatrixSubject subject)
    {
        try
        {
            return (await Services.GetRequiredService<IssuerKeyService>().GetAsync(subject.Iin, subject.Kvn)).State.ToString();
        }
        catch (NotFoundException)
        {
            return "absent";
        }
    }

    /// <summary>The Security officer who opens and confirms the matrix's KEK ceremonies, and the two Key custodians who enter components.</summary>
    public const string CeremonyOfficer = "ceremony-officer@ttp.test";

    private static readonly string[] CeremonyCustodians = ["ceremony-kc1@ttp.test", "ceremony-kc2@ttp.test"];

    /// <summary>
    /// Makes the subject's TSM active with version 1 of its KEK index, imported as ttpctl does (active), and, for a subject of
    /// version 2, runs an ImportKek ceremony for that version (pending activation). Arrangement only, through the domain.
    /// </summary>
    public async Task AddKekAsync(MatrixSubject subject)
    {
        await AddActiveTsmAsync(subject.KekTsm);
        var keks = Services.GetRequiredService<KekService>();
        await keks.ImportAsync(subject.KekTsm, subject.KekIndex, KekAlgorithm.Tdes2, KekFormat.Tr31, [RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16)], Actor.System);
        if (subject.KekVersion == 1)
        {
            return;
        }

        if (!_ceremonyStaffAdded)
        {
            await AddStaffAsync(CeremonyOfficer, [StaffRoles.SecurityOfficer]);
            foreach (var custodian in CeremonyCustodians)
            {
                await AddStaffAsync(custodian, [StaffRoles.KeyCustodian]);
            }

            _ceremonyStaffAdded = true;
        }

        var ceremonies = Services.GetRequiredService<CeremonyService>();
        var ceremony = await ceremonies.OpenKekAsync(
            new KekCeremonyRequest(CeremonyKind.ImportKek, subject.KekTsm, subject.KekIndex, KekAlgorithm.Tdes2, KekFormat.Tr31, 2), null, Actor.Staff(CeremonyOfficer));
        var key = new byte[16];
        foreach (var custodian in CeremonyCustodians)
        {
            var component = RandomNumberGenerator.GetBytes(16);
            for (var i = 0; i < key.Length; i++)
            {
                key[i] ^= component[i];
            }

            await ceremonies.EnterComponentAsync(ceremony.Id, component, Hex.Encode(KekService.CheckValue(KekAlgorithm.Tdes2, component)), Actor.Staff(custodian));
        }

        await ceremonies.ConfirmAsync(ceremony.Id, Hex.Encode(KekService.CheckValue(KekAlgorithm.Tdes2, key)), Actor.Staff(CeremonyOfficer));
    }

    /// <summary>The versions of the subject's KEK index and their states read through <see cref="KekService"/>, e.g. "v1 Active, v2 PendingActivation".</summary>
    public async Task<string> KeksAsync(MatrixSubject subject)
    {
        try
        {
            var keks = await Services.GetRequiredService<KekService>().ListAsync(subject.KekTsm);
            var versions = keks.Where(k => k.Index == subject.KekIndex).OrderBy(k => k.Version).Select(k => $"v{k.Version} {k.State}").ToList();
            return versions.Count == 0 ? "none" : string.Join(", ", versions);
        }
        catch (NotFoundException)
        {
            return "absent";
        }
    }

    /// <summary>The sequence number of the audit trail's last record (0 when empty).</summary>
    public async Task<long> AuditHeadAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.MaxAsync(e => (long?)e.Sequence) ?? 0;
    }

    /// <summary>The audit records appended after <paramref name="sequence"/>, as "action by actor on subject".</summary>
    public async Task<IReadOnlyList<string>> AuditSinceAsync(long sequence)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.Where(e => e.Sequence > sequence).OrderBy(e => e.Sequence)
            .Select(e => e.Action + " by " + e.Actor + " on " + e.Subject).ToListAsync();
    }

    /// <summary>The edge services the pages call, as <paramref name="user"/> would reach them in a circuit.</summary>
    public MatrixEdges EdgesFor(ClaimsPrincipal user, IServiceProvider scope)
    {
        var staff = new StaffAuthorization(new SignedIn(user), scope.GetRequiredService<IAuthorizationService>());
        return new MatrixEdges(
            new TsmAccreditation(staff, Tsms, Changes),
            new StaffAdministration(staff, Services.GetRequiredService<IServiceScopeFactory>()),
            new IssuerKeyAdministration(staff, Services.GetRequiredService<IssuerKeyService>()),
            new KekAdministration(staff, Services.GetRequiredService<KekService>()),
            new CeremonyAdministration(
                staff, Services.GetRequiredService<CeremonyService>(), Services.GetRequiredService<CeremonyQueries>(), Services.GetRequiredService<IServiceScopeFactory>()),
            new Ttp.Portal.Audit.AuditAdministration(
                staff, Services.GetRequiredService<Ttp.Domain.Alerts.AlertService>(), Services.GetRequiredService<Ttp.Portal.Hosting.AuditVerificationRunner>()),
            this);
    }

    /// <summary>A principal as the portal's sign-in builds it: name, e-mail and one role.</summary>
    public static ClaimsPrincipal Principal(string email, string role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, email), new Claim(ClaimTypes.Email, email), new Claim(ClaimTypes.Role, role)],
        authenticationType: "Test"));

    public void Dispose()
    {
        _portal.Dispose();
        _host.Dispose();
        foreach (var certificate in _certificates.Values)
        {
            certificate.Dispose();
        }
    }

    // Now with 7 ticks (0.7 microseconds) past the microsecond, so that a comparison that ignores storage precision fails.
    private static DateTimeOffset WithTicks(DateTimeOffset now) => Stored(now).AddTicks(7);

    private static void Require(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("arrangement failed: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    private sealed class SignedIn(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}

/// <summary>The edge services under test, and the world they act in (for the test's certificates).</summary>
internal sealed record MatrixEdges(
    TsmAccreditation Tsms, StaffAdministration Staff, IssuerKeyAdministration IssuerKeys, KekAdministration Keks, CeremonyAdministration Ceremonies,
    Ttp.Portal.Audit.AuditAdministration Audit, RoleMatrixWorld World);

/// <summary>
/// The subject of one action for one actor: its own TSM or staff account (<see cref="Name"/>), so that no action depends
/// on another having run; <see cref="ActorEmail"/> is who acts.
/// </summary>
internal sealed record MatrixSubject(RoleMatrixWorld World, string Name, string ActorEmail)
{
    /// <summary>
    /// The subject as the audit trail names it: <c>user:</c> and the e-mail, <c>tsm:</c> and the name, or a key set's or
    /// KEK's own name (<c>issuer-key:IIN/KVN</c>, <c>kek:TSM/index</c> with <c> vN</c> from version 2).
    /// </summary>
    public string AuditSubject => IsKeySet || IsKek ? Name
        : IsCeremony ? World.Ceremonies.AuditSubject(Name)
        : (Name.Contains('@', StringComparison.Ordinal) ? "user:" : "tsm:") + Name;

    /// <summary>The TSM of a KEK subject.</summary>
    public string KekTsm => KekParts().Tsm;

    /// <summary>The index of a KEK subject.</summary>
    public int KekIndex => KekParts().Index;

    /// <summary>The version of a KEK subject.</summary>
    public int KekVersion => KekParts().Version;

    /// <summary>The name of a KEK subject, as <see cref="KekService.Subject"/> writes it.</summary>
    public static string KekSubject(string tsm, int index, int version) => "kek:" + Kek.Describe(tsm, index, version);

    private bool IsKek => Name.StartsWith("kek:", StringComparison.Ordinal);

    private (string Tsm, int Index, int Version) KekParts()
    {
        if (!IsKek)
        {
            throw new InvalidOperationException($"{Name} is not a KEK");
        }

        var parts = Name["kek:".Length..].Split('/', ' ');
        var version = parts.Length > 2 ? int.Parse(parts[2][1..], System.Globalization.CultureInfo.InvariantCulture) : 1;
        return (parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), version);
    }

    /// <summary>The IIN of a key-set subject (<c>issuer-key:IIN/KVN</c>).</summary>
    public string Iin => KeySetPart(0);

    /// <summary>The KVN of a key-set subject.</summary>
    public int Kvn => int.Parse(KeySetPart(1), System.Globalization.CultureInfo.InvariantCulture);

    private bool IsKeySet => Name.StartsWith("issuer-key:", StringComparison.Ordinal);

    // A ceremony action's subject: its ceremony is named in the audit trail by its id (ceremony:id).
    private bool IsCeremony => Name.StartsWith("ceremony-", StringComparison.Ordinal);

    private string KeySetPart(int index) => IsKeySet
        ? Name["issuer-key:".Length..].Split('/')[index]
        : throw new InvalidOperationException($"{Name} is not a key set");
}

/// <summary>A clock that stands still: the portal's <see cref="TimeProvider"/> in the role matrix.</summary>
internal sealed class MatrixClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
