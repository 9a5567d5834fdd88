using System.Text.Json;
using Ttp.Tests.Shared;

namespace Ttp.Portal.Tests;

/// <summary>
/// The README's run command (<c>dotnet run --project src/Ttp.Portal</c>) runs the Production environment: <c>dotnet
/// run</c> takes the first profile of launchSettings.json, which must say Production; Development is a profile of its own,
/// chosen only by name (<c>--launch-profile Development</c>).
/// </summary>
public sealed class PortalEnvironmentTests
{
    [Fact]
    public void LaunchSettings_DefaultProfile_RunsProductionAndDevelopmentOnlyByName()
    {
        var path = Path.Combine(Repository.Root, "src", "Ttp.Portal", "Properties", "launchSettings.json");
        using var settings = JsonDocument.Parse(File.ReadAllText(path));

        var profiles = settings.RootElement.GetProperty("profiles").EnumerateObject().ToList();
        var first = profiles[0];
        Assert.Equal("Production", Environment(first.Value));
        Assert.Equal("Development", Environment(Assert.Single(profiles, p => p.Name == "Development").Value));
        Assert.All(profiles.Where(p => p.Name != "Development"), p => Assert.Equal("Production", Environment(p.Value)));
    }

    [Fact]
    public void Readme_RunCommand_IsTheDefaultProfileAndNamesHowToGetDevelopment()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));

        Assert.Contains("dotnet run --project src/Ttp.Portal ", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet run --project src/Ttp.Portal --launch-profile Ttp.Portal", readme, StringComparison.Ordinal);
        Assert.Contains("--launch-profile Development", readme, StringComparison.Ordinal);
    }

    private static string? Environment(JsonElement profile) =>
        profile.TryGetProperty("environmentVariables", out var variables) && variables.TryGetProperty("ASPNETCORE_ENVIRONMENT", out var value)
            ? value.GetString()
            : null;

}
