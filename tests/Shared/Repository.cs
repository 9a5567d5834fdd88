// Linked into the test projects that run the repository's scripts or read its files (one copy of the search for Portal.sln).
namespace Ttp.Tests.Shared;

/// <summary>The repository the tests run in (the folder holding Portal.sln), for tests that run its scripts or read its files.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    /// <summary>The build configuration of the running tests (<c>Release</c> or <c>Debug</c>), from their output folder.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }
}
