using System.Reflection;

namespace Ttp.Portal.Hosting;

/// <summary>The product's version (Directory.Build.props, CHANGELOG.md), as the portal's footer shows it: <c>0.9.0</c>, without the build's commit.</summary>
public static class ProductVersion
{
    public static string Text { get; } = Read();

    private static string Read()
    {
        var informational = typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
