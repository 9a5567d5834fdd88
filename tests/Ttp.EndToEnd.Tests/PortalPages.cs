using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace Ttp.EndToEnd.Tests;

/// <summary>
/// Every routable page of the portal, found by reflection over the portal assembly's <see cref="RouteAttribute"/>s (account
/// pages included), so that a page added later is covered by the tests that walk them without editing those tests.
/// </summary>
internal sealed record PortalPage(string Template, Type Component)
{
    public static IReadOnlyList<PortalPage> All { get; } = typeof(Program).Assembly.GetTypes()
        .Where(t => typeof(IComponent).IsAssignableFrom(t) && !t.IsAbstract)
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => new PortalPage(r.Template, t)))
        .OrderBy(p => p.Template, StringComparer.Ordinal)
        .ToList();

    /// <summary>A page anybody may open (the sign-in pages): visited without signing in.</summary>
    public bool Anonymous => Component.GetCustomAttribute<AllowAnonymousAttribute>() is not null;

    /// <summary>A page without a circuit (the account pages and anonymous ones): nothing to wait for once it has loaded.</summary>
    public bool Static => Anonymous || Component.GetCustomAttribute<ExcludeFromInteractiveRoutingAttribute>() is not null;

    /// <summary>The page's name for screenshots and messages: its template without punctuation.</summary>
    public string Slug =>
        Template.Trim('/') is { Length: > 0 } path
            ? new string(path.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Replace("--", "-", StringComparison.Ordinal).Trim('-')
            : "dashboard";
}
