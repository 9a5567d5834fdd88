using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Domain;
using Ttp.Domain.Audit;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Keks;
using Ttp.Domain.Staff;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Keks;

/// <summary>
/// TSMs, KEKs and ceremonies for the KEK section and the dashboard, made through the real domain: a KEK imported by
/// ttpctl's path (active at once), and a KEK version made by a ceremony (pending activation) that a Security officer opens,
/// two Key custodians enter a component of each and the officer confirms.
/// </summary>
internal static class KekWorld
{
    public const string Custodian1 = "kc1@ttp.example";
    public const string Custodian2 = "kc2@ttp.example";

    /// <summary>The Security officer who opens and confirms the ceremonies (an account of its own, not the signed-in user).</summary>
    public const string CeremonyOfficer = "so-ceremonies@ttp.example";

    public static KekService Keks(this PortalDomain domain) => domain.Context.Services.GetRequiredService<KekService>();

    public static CeremonyService Ceremonies(this PortalDomain domain) => domain.Context.Services.GetRequiredService<CeremonyService>();

    public static AuditQueries AuditQueries(this PortalDomain domain) => domain.Context.Services.GetRequiredService<AuditQueries>();

    /// <summary>Creates the ceremony's staff: the officer, two Key custodians, and <paramref name="extra"/> (email, role).</summary>
    public static async Task AddCeremonyStaffAsync(this PortalDomain domain, params (string Email, string Role)[] extra)
    {
        await using var scope = domain.Context.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var staff = scope.ServiceProvider.GetRequiredService<StaffService>();
        await staff.AddAsync(CeremonyOfficer, StaffRoles.SecurityOfficer, "Correct-Horse-Battery-9", Actor.System);
        foreach (var (email, role) in new[] { (Custodian1, StaffRoles.KeyCustodian), (Custodian2, StaffRoles.KeyCustodian) }.Concat(extra))
        {
            await staff.AddAsync(email, role, "Correct-Horse-Battery-9", Actor.System);
        }
    }

    /// <summary>Registers <paramref name="name"/> (Operator A) and approves it (Operator B).</summary>
    public static async Task AddActiveTsmAsync(this PortalDomain domain, string name)
    {
        await domain.Tsms.RegisterAsync(name, name.ToUpperInvariant(), PortalDomain.Certificate("CN=" + name), ["A0000001"], Actor.Staff(PortalDomain.OperatorA));
        await domain.Tsms.ApproveAsync(name, PortalDomain.OperatorB, Actor.Staff(PortalDomain.OperatorB));
    }

    /// <summary>Imports version 1 of KEK <paramref name="index"/> (TDES2, TR-31) from two random components, as ttpctl does: active at once.</summary>
    public static Task<Kek> ImportKekAsync(this PortalDomain domain, string tsm, int index) =>
        domain.Keks().ImportAsync(tsm, index, KekAlgorithm.Tdes2, KekFormat.Tr31, [RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16)], Actor.System);

    /// <summary>Opens an ImportKek ceremony for KEK <paramref name="index"/> of <paramref name="tsm"/> (the next version when it has one).</summary>
    public static Task<Ceremony> OpenKekCeremonyAsync(this PortalDomain domain, string tsm, int index) =>
        domain.Ceremonies().OpenKekAsync(
            new KekCeremonyRequest(CeremonyKind.ImportKek, tsm, index, KekAlgorithm.Tdes2, KekFormat.Tr31, 2), null, Actor.Staff(CeremonyOfficer));

    /// <summary>
    /// Runs a whole ImportKek ceremony: opened by the officer, a random component entered by each custodian with its check
    /// value (<see cref="KekService.CheckValue"/>), confirmed with the combined key's; returns the pending KEK it made.
    /// </summary>
    public static async Task<Kek> MakePendingKekAsync(this PortalDomain domain, string tsm, int index)
    {
        var ceremony = await domain.OpenKekCeremonyAsync(tsm, index);
        var first = RandomNumberGenerator.GetBytes(16);
        var second = RandomNumberGenerator.GetBytes(16);
        var key = first.Zip(second, (a, b) => (byte)(a ^ b)).ToArray();
        await domain.Ceremonies().EnterComponentAsync(ceremony.Id, [.. first], Kcv(first), Actor.Staff(Custodian1));
        await domain.Ceremonies().EnterComponentAsync(ceremony.Id, [.. second], Kcv(second), Actor.Staff(Custodian2));
        var outcome = await domain.Ceremonies().ConfirmAsync(ceremony.Id, Kcv(key), Actor.Staff(CeremonyOfficer));
        return outcome.Kek ?? throw new InvalidOperationException("the ceremony made no KEK");
    }

    /// <summary>A KEK of <paramref name="tsm"/> read back through the domain.</summary>
    public static async Task<Kek> KekAsync(this PortalDomain domain, string tsm, int index, int version) =>
        (await domain.Keks().ListAsync(tsm)).Single(k => k.Index == index && k.Version == version);

    private static string Kcv(byte[] key) => Hex.Encode(KekService.CheckValue(KekAlgorithm.Tdes2, key));
}
