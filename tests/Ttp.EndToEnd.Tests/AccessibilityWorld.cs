using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Keks;
using Ttp.Domain.Staff;
using Ttp.Domain.Tsms;
using Ttp.Portal.Tests;
using Ttp.Portal.Tests.Account;
using Ttp.Portal.Tests.Soap;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// One portal (Kestrel, TLS, SQLite) with something on every page: a staff member holding every role (with an
/// authenticator), an active TSM with a 64-character name, a key-exchange key and a certificate, a TSM pending approval,
/// an issuer key set and an open ceremony; and the browser state of that staff member signed in, for fresh contexts.
/// </summary>
public sealed class AccessibilityWorld : IAsyncLifetime
{
    /// <summary>The tests that share one world (one portal), run one after the other.</summary>
    public const string Collection = "accessibility";

    public const string Everyone = "a11y@ttp.example";
    public const string Officer = "officer@ttp.example";
    public const string Iin = "A0000001";

    /// <summary>The longest name a TSM may have (64 characters), without a space to break at.</summary>
    public const string LongTsmName = "acme-contactless-wallet-provisioning-services-europe-north-00001";

    private readonly List<IDisposable> _owned = [];

    internal PortalHost Host { get; } = new();

    public Guid CeremonyId { get; private set; }

    /// <summary>The cookies of <see cref="Everyone"/> signed in (Playwright's storage state).</summary>
    public string SignedIn { get; private set; } = string.Empty;

    /// <summary>
    /// The address of a page: its template, or for a page with a parameter the address of the real entity made above.
    /// A new page with a parameter fails here until it is given one.
    /// </summary>
    internal string PathOf(PortalPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.Template switch
        {
            "/tsms/{Name}" => "/tsms/" + Uri.EscapeDataString(LongTsmName),
            "/issuer-keys/{Iin}/{Kvn:int}" => $"/issuer-keys/{Iin}/1",
            "/ceremonies/{Id:guid}" => $"/ceremonies/{CeremonyId}",
            var template when template.Contains('{', StringComparison.Ordinal) =>
                throw new InvalidOperationException($"{template} has a parameter: give it a real entity in {nameof(AccessibilityWorld)}.{nameof(PathOf)}"),
            var template => template,
        };
    }

    public async Task InitializeAsync()
    {
        Assert.Equal(64, LongTsmName.Length);
        Host.StartServer();
        await Host.SeedStaffAsync(Everyone, [.. StaffRoles.All], TestTotp.Key);
        await Host.SeedStaffAsync(Officer, [StaffRoles.SecurityOfficer], TestTotp.Key);
        await Host.SeedStaffAsync("custodian-1@ttp.example", [StaffRoles.KeyCustodian], TestTotp.Key);
        await Host.SeedStaffAsync("custodian-2@ttp.example", [StaffRoles.KeyCustodian], TestTotp.Key);

        var active = TestClientCertificates.Create("long-name-tsm");
        var pending = TestClientCertificates.Create("pending-tsm");
        _owned.Add(active);
        _owned.Add(pending);
        await Host.RegisterTsmAsync(LongTsmName, active, Iin);
        await Host.Services.GetRequiredService<TsmService>().RegisterAsync("pending-tsm", "Pending Wallets", pending.RawData, [Iin], Actor.System);

        var kek = RandomNumberGenerator.GetBytes(16);
        await Host.AddKekAsync(LongTsmName, 1, KekAlgorithm.Aes128, KekFormat.Tr31, kek);
        CryptographicOperations.ZeroMemory(kek);
        var master = RandomNumberGenerator.GetBytes(16);
        await Host.AddKeySetAsync(Iin, 1, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3, master);
        CryptographicOperations.ZeroMemory(master);

        var ceremony = await Host.Services.GetRequiredService<CeremonyService>().OpenIssuerMasterKeyImportAsync(
            new IssuerKeyImport("A0000002", 1, SecureChannelScheme.Scp03, DiversificationMethod.Kdf3), 16, 2, null, Actor.Staff(Officer));
        CeremonyId = ceremony.Id;

        await using var browser = await Browser.LaunchAsync("ux-a11y-sign-in");
        var page = await browser.NewPageAsync(Host.BaseAddress);
        await PageSteps.SignInAsync(page, Everyone, TestTotp.Key);
        SignedIn = await page.Context.StorageStateAsync();
    }

    public Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Host.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The accessibility and theme tests share one <see cref="AccessibilityWorld"/>.</summary>
[CollectionDefinition(AccessibilityWorld.Collection)]
public sealed class AccessibilityCollection : ICollectionFixture<AccessibilityWorld>;
