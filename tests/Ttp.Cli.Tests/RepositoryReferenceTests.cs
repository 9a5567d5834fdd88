using System.Text.RegularExpressions;
using Ttp.Tests.Shared;

namespace Ttp.Cli.Tests;

/// <summary>
/// The repository stands alone: every document the code, tests, scripts and docs cite (an upper-case <c>NAME.md</c>, with
/// or without <c>docs/</c>) is a file of the repository, and nothing points outside it.
/// </summary>
public sealed partial class RepositoryReferenceTests
{
    private static readonly string[] Folders = ["src", "tests", "docs", "scripts", "samples"];

    // The design material outside the repository, spelled so that this file does not cite it itself.
    private static readonly string[] OutsidePaths = [string.Join('/', "..", "shared"), string.Join('/', "shared", "docs")];

    private static readonly string[] Extensions = [".cs", ".md", ".sh", ".json", ".razor", ".csproj", ".props", ".py"];

    [Fact]
    public void CitedDocuments_AllExistInRepository()
    {
        var root = Repository.Root;
        var missing = new List<string>();
        var outside = new List<string>();
        foreach (var file in SourceFiles(root))
        {
            var text = File.ReadAllText(file);
            var relative = Path.GetRelativePath(root, file);
            foreach (Match match in CitedDocument().Matches(text))
            {
                var cited = match.Value;
                var exists = cited.StartsWith("docs/", StringComparison.Ordinal)
                    ? File.Exists(Path.Combine(root, cited))
                    : File.Exists(Path.Combine(root, cited)) || File.Exists(Path.Combine(root, "docs", cited)) || File.Exists(Path.Combine(Path.GetDirectoryName(file)!, cited));
                if (!exists)
                {
                    missing.Add($"{relative}: {cited}");
                }
            }

            if (OutsidePaths.Any(outsidePath => text.Contains(outsidePath, StringComparison.Ordinal)))
            {
                outside.Add(relative);
            }
        }

        Assert.True(missing.Count == 0, "cited but not in the repository:\n" + string.Join('\n', missing));
        Assert.True(outside.Count == 0, "pointing outside the repository:\n" + string.Join('\n', outside));
    }

    private static IEnumerable<string> SourceFiles(string root) =>
        Folders.Select(folder => Path.Combine(root, folder)).Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(file => Extensions.Contains(Path.GetExtension(file)))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => !file.EndsWith(nameof(RepositoryReferenceTests) + ".cs", StringComparison.Ordinal))
            .Append(Path.Combine(root, "README.md"));

    [GeneratedRegex(@"(?<![A-Za-z0-9_./-])(?:docs/)?[A-Z][A-Z0-9-]*\.md\b")]
    private static partial Regex CitedDocument();
}
