using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Staff;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.Ceremonies;

/// <summary>
/// The staff of the ceremony pages' tests, as accounts of the real domain (which checks each step's role against them):
/// a Security officer who is also a Key custodian, three Key custodians, an Auditor; and ceremonies opened, filled and
/// confirmed through the real <see cref="CeremonyService"/>.
/// </summary>
internal static class CeremonyStaff
{
    public const string Officer = PortalDomain.SecurityOfficerC;
    public const string Custodian1 = "kc1@ttp.example";
    public const string Custodian2 = "kc2@ttp.example";
    public const string Custodian3 = "kc3@ttp.example";
    public const string Auditor = "auditor@ttp.example";
    public const string Iin = "A0000001";

    // Two components of an SCP02 master key (test values, not a real key).
    public const string Component1 = "0123456789ABCDEFFEDCBA9876543210";
    public const string Component2 = "1F2E3D4C5B6A79880011223344556677";

    /// <summary>A portal signed in as <paramref name="email"/> in <paramref name="role"/>, with the ceremony staff's accounts.</summary>
    public static async Task<PortalDomain> CreateAsync(string email, string role)
    {
        var domain = await PortalDomain.CreateAsync(email, role);
        await using var scope = domain.Context.Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var staff = scope.ServiceProvider.GetRequiredService<StaffService>();
        await staff.AddAsync(Officer, [StaffRoles.SecurityOfficer, StaffRoles.KeyCustodian], "Correct-Horse-Battery-9", Actor.System);
        foreach (var custodian in new[] { Custodian1, Custodian2, Custodian3 })
        {
            await staff.AddAsync(custodian, StaffRoles.KeyCustodian, "Correct-Horse-Battery-9", Actor.System);
        }

        await staff.AddAsync(Auditor, StaffRoles.Auditor, "Correct-Horse-Battery-9", Actor.System);
        return domain;
    }

    public static CeremonyService Ceremonies(this PortalDomain domain) => domain.Context.Services.GetRequiredService<CeremonyService>();

    /// <summary>Opens, as the officer, a ceremony importing the SCP02 EMV key set <see cref="Iin"/>/<paramref name="kvn"/> in two components.</summary>
    public static Task<Ceremony> OpenAsync(this PortalDomain domain, int kvn = 255, IReadOnlyList<string>? custodians = null) =>
        domain.Ceremonies().OpenIssuerMasterKeyImportAsync(
            new IssuerKeyImport(Iin, kvn, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11), 16, 2, custodians, Actor.Staff(Officer));

    /// <summary>Registers and approves TSM "acme", then opens, as the officer, a ceremony generating its AES-128 KEK 1 in two components.</summary>
    public static async Task<Ceremony> OpenGenerateKekAsync(this PortalDomain domain)
    {
        await domain.Tsms.RegisterAsync("acme", "ACME", PortalDomain.Certificate(), [Iin], Actor.Staff(PortalDomain.OperatorA));
        await domain.Tsms.ApproveAsync("acme", PortalDomain.OperatorB, Actor.Staff(PortalDomain.OperatorB));
        return await domain.Ceremonies().OpenKekAsync(
            new KekCeremonyRequest(CeremonyKind.GenerateKek, "acme", 1, KekAlgorithm.Aes128, KekFormat.Tr31, 2), null, Actor.Staff(Officer));
    }

    /// <summary>Enters <paramref name="componentHex"/> with its true check value as <paramref name="custodian"/>.</summary>
    public static Task<Ceremony> EnterAsync(this PortalDomain domain, Guid ceremony, string componentHex, string custodian) =>
        domain.Ceremonies().EnterComponentAsync(ceremony, Hex.Parse(componentHex, "component"), CheckValue(componentHex), Actor.Staff(custodian));

    /// <summary>The SCP02 check value of a key or component given in hex.</summary>
    public static string CheckValue(string keyHex) =>
        Hex.Encode(SecureChannelScheme.Scp02.CheckValue(Hex.Parse(keyHex, "key")));

    /// <summary>The key the two test components make.</summary>
    public static string Combined() =>
        Hex.Encode(Hex.Parse(Component1, "c1").Zip(Hex.Parse(Component2, "c2"), (a, b) => (byte)(a ^ b)).ToArray());
}
