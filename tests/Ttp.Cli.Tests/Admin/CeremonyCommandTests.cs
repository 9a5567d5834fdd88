using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.Ceremonies;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Staff;
using Ttp.Domain.Tests.Infrastructure;

namespace Ttp.Cli.Tests.Admin;

/// <summary>
/// <c>ttpctl ceremony list</c> on both databases: a ceremony a Security officer opened (through the same domain
/// services, as the portal does) is listed while in progress, with its key and progress; after it is aborted it is
/// listed only with <c>--all</c>.
/// </summary>
public sealed class CeremonyCommandTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task CeremonyList_OpenedThenAborted_ListedWhileInProgressThenOnlyWithAll(DatabaseProvider provider)
    {
        await using var env = await CliEnvironment.CreateAsync(provider);
        await env.OkAsync("init");
        Assert.Equal("[]", (await env.OkAsync("ceremony", "list")).Stdout.Trim());
        var configuration = new ConfigurationBuilder().AddJsonFile(env.ConfigFile).Build();
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddTtpDomain(configuration)
            .BuildServiceProvider();
        var officer = Actor.Staff("so@ttp.test");
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<StaffService>().AddAsync("so@ttp.test", StaffRoles.SecurityOfficer, "Correct-Horse-Battery-9", Actor.System);
        }

        var ceremonies = services.GetRequiredService<CeremonyService>();
        var opened = await ceremonies.OpenIssuerMasterKeyImportAsync(
            new IssuerKeyImport("A0000001", 7, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11), 16, 3, null, officer);

        var listed = JsonDocument.Parse((await env.OkAsync("ceremony", "list")).Stdout).RootElement;
        var entry = Assert.Single(listed.EnumerateArray());
        Assert.Equal(opened.Id, entry.GetProperty("id").GetGuid());
        Assert.Equal("ImportIssuerMasterKey", entry.GetProperty("kind").GetString());
        Assert.Equal("Open", entry.GetProperty("state").GetString());
        Assert.Equal("0/3", entry.GetProperty("components").GetString());
        Assert.Equal(officer.Id, entry.GetProperty("opened_by").GetString());
        Assert.Contains("A0000001", entry.GetProperty("label").GetString(), StringComparison.Ordinal);

        await ceremonies.AbortAsync(opened.Id, "opened by mistake", officer);

        Assert.Equal("[]", (await env.OkAsync("ceremony", "list")).Stdout.Trim());
        var all = JsonDocument.Parse((await env.OkAsync("ceremony", "list", "--all")).Stdout).RootElement;
        Assert.Equal("Aborted", Assert.Single(all.EnumerateArray()).GetProperty("state").GetString());
    }
}
