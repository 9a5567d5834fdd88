using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Staff;
using Ttp.Portal.Tests.Account;

namespace Ttp.Portal.Tests.Security;

/// <summary>
/// The ceremonies of the role matrix: each ceremony action's subject is a key of its own (issuer key
/// <see cref="Iin"/>/KVN, or KEK 1 of a TSM of its own), arranged through the domain by a Security officer and two Key
/// custodians who are never the matrix's actors; its state is read back through <see cref="CeremonyService"/> and the
/// database, never through the edge under test.
/// </summary>
internal sealed class RoleMatrixCeremonies(RoleMatrixWorld world)
{
    public const string Iin = "C0000001";
    public const string Officer = "matrix-ceremony-officer@ttp.test";
    public const string Custodian1 = "matrix-ceremony-kc1@ttp.test";
    public const string Custodian2 = "matrix-ceremony-kc2@ttp.test";

    private readonly Dictionary<string, int> _kvns = [];
    private readonly Dictionary<string, Guid> _ids = [];
    private bool _staffAdded;

    private CeremonyService Service => world.Services.GetRequiredService<CeremonyService>();

    /// <summary>A subject of its own for a ceremony action and actor (its key's KVN allocated here).</summary>
    public string NextSubject(string action, string who)
    {
        var name = "ceremony-" + action.Replace("ceremony.", string.Empty, StringComparison.Ordinal) + "-" + who.ToLowerInvariant();
        _kvns[name] = _kvns.Count + 1;
        return name;
    }

    /// <summary>The audit subject of the subject's ceremony (<c>ceremony:id</c>), once it exists.</summary>
    public string AuditSubject(string name) => _ids.TryGetValue(name, out var id) ? $"ceremony:{id:D}" : "ceremony:none";

    /// <summary>The issuer key a subject's ceremony imports.</summary>
    public IssuerKeyImport Import(string name) => new(Iin, _kvns[name], SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11);

    /// <summary>The subject's ceremony.</summary>
    public Guid Id(string name) => _ids[name];

    /// <summary>Opens the subject's issuer-key ceremony as <see cref="Officer"/> (two components, any custodian).</summary>
    public async Task OpenAsync(MatrixSubject x)
    {
        await AddStaffAsync();
        _ids[x.Name] = (await Service.OpenIssuerMasterKeyImportAsync(Import(x.Name), 16, 2, null, Actor.Staff(Officer))).Id;
    }

    /// <summary>Opens the subject's ceremony and has both custodians enter their components: it awaits confirmation.</summary>
    public async Task OpenAndFillAsync(MatrixSubject x)
    {
        await OpenAsync(x);
        await Service.EnterComponentAsync(Id(x.Name), Hex.Parse(Component1, "c1"), CheckValue(Component1), Actor.Staff(Custodian1));
        await Service.EnterComponentAsync(Id(x.Name), Hex.Parse(Component2, "c2"), CheckValue(Component2), Actor.Staff(Custodian2));
    }

    /// <summary>Opens, as <see cref="Officer"/>, a ceremony generating KEK 1 of the subject's own TSM in two components.</summary>
    public async Task OpenGenerateKekAsync(MatrixSubject x)
    {
        await AddStaffAsync();
        await world.AddActiveTsmAsync(x.Name);
        _ids[x.Name] = (await Service.OpenKekAsync(new KekCeremonyRequest(CeremonyKind.GenerateKek, x.Name, 1, KekAlgorithm.Aes128, KekFormat.Tr31, 2), null, Actor.Staff(Officer))).Id;
    }

    /// <summary>
    /// A generated KEK's component received by the actor when the domain lets them (a Key custodian), else by
    /// <see cref="Custodian1"/>: something to acknowledge.
    /// </summary>
    public async Task OpenGenerateKekAndReceiveAsync(MatrixSubject x)
    {
        await OpenGenerateKekAsync(x);
        try
        {
            using var received = await Service.ReceiveComponentAsync(Id(x.Name), Actor.Staff(x.ActorEmail));
        }
        catch (DomainException)
        {
            using var received = await Service.ReceiveComponentAsync(Id(x.Name), Actor.Staff(Custodian1));
        }
    }

    /// <summary>The state and progress of the subject's ceremony, read through the domain ("absent" before it is opened).</summary>
    public async Task<string> StateAsync(MatrixSubject x)
    {
        if (!_ids.ContainsKey(x.Name))
        {
            // Opened by the action under test: found by its key.
            var label = $"issuer key {Iin}/{_kvns[x.Name]}";
            var found = (await world.Services.GetRequiredService<CeremonyQueries>().ListAsync(includeClosed: true)).FirstOrDefault(c => c.Label == label);
            if (found is null)
            {
                return "absent";
            }

            _ids[x.Name] = found.Id;
        }

        var ceremony = (await Service.GetAsync(Id(x.Name)))!;
        return $"{ceremony.State}, {ceremony.ComponentsReceived} of {ceremony.ComponentsExpected}";
    }

    /// <summary>How many components of the subject's ceremony were handed out, and how many acknowledged.</summary>
    public async Task<string> AcknowledgementsAsync(MatrixSubject x)
    {
        await using var db = await world.Services.GetRequiredService<IDbContextFactory<TtpDbContext>>().CreateDbContextAsync();
        var id = Id(x.Name);
        var components = await db.CeremonyComponents.AsNoTracking().Where(c => c.CeremonyId == id).ToListAsync();
        return $"{components.Count} received, {components.Count(c => c.AcknowledgedAt is not null)} acknowledged";
    }

    // Two components of an SCP02 master key (test values).
    public const string Component1 = "0123456789ABCDEFFEDCBA9876543210";
    public const string Component2 = "1F2E3D4C5B6A79880011223344556677";

    public static string CheckValue(string hex) => Hex.Encode(SecureChannelScheme.Scp02.CheckValue(Hex.Parse(hex, "key")));

    /// <summary>The check value of the key the two components make.</summary>
    public static string CombinedCheckValue() =>
        CheckValue(Hex.Encode(Hex.Parse(Component1, "c1").Zip(Hex.Parse(Component2, "c2"), (a, b) => (byte)(a ^ b)).ToArray()));

    /// <summary>A fresh copy of component 1 (the edge and the domain zero what they get).</summary>
    public static byte[] Component() => Hex.Parse(Component1, "component");

    private async Task AddStaffAsync()
    {
        if (_staffAdded)
        {
            return;
        }

        await world.AddStaffAsync(Officer, [StaffRoles.SecurityOfficer], TestTotp.Key);
        await world.AddStaffAsync(Custodian1, [StaffRoles.KeyCustodian], TestTotp.Key);
        await world.AddStaffAsync(Custodian2, [StaffRoles.KeyCustodian], TestTotp.Key);
        _staffAdded = true;
    }
}
