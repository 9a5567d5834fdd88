using System.Reflection;

namespace Ttp.Domain.Tests.Architecture;

/// <summary>
/// docs/DESIGN.md section 2: dependencies point one way (Portal, Cli -> Domain -> Crypto). Checked on the compiled
/// assemblies, following references transitively, so that a package pulled in through another one counts too.
/// </summary>
public sealed class DependencyRuleTests
{
    private static readonly string[] WebAndDataStacks =
        ["Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "SoapCore", "MudBlazor", "Microsoft.JSInterop"];

    private static readonly string[] WebStacks =
        ["Microsoft.AspNetCore", "SoapCore", "MudBlazor", "Microsoft.JSInterop", "Microsoft.AspNetCore.Components"];

    // Identity's EF Core stores (docs/DESIGN.md section 2: the DbContext includes the Identity stores) and the PBKDF2 password
    // hashing they use. Despite their names they are plain libraries with no web stack (no Kestrel, MVC, Blazor);
    // their own references are still walked and checked.
    private static readonly HashSet<string> IdentityLibraries =
        ["Microsoft.AspNetCore.Identity.EntityFrameworkCore", "Microsoft.AspNetCore.Cryptography.KeyDerivation", "Microsoft.AspNetCore.Cryptography.Internal"];

    [Fact]
    public void Crypto_References_NoAspNetCoreEfCoreOrSoapCore()
    {
        var references = TransitiveReferences(typeof(Ttp.Crypto.Hex).Assembly);

        Assert.NotEmpty(references);
        Assert.Contains(references, name => name.StartsWith("BouncyCastle", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => WebAndDataStacks.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.DoesNotContain(references, name => name.StartsWith("Ttp.", StringComparison.Ordinal));
    }

    [Fact]
    public void Domain_References_NoAspNetCoreBlazorOrSoapCore()
    {
        var domain = Assembly.Load("Ttp.Domain");
        var references = TransitiveReferences(domain);

        Assert.Contains("Ttp.Crypto", references);
        Assert.DoesNotContain(
            references,
            name => !IdentityLibraries.Contains(name) && WebStacks.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.DoesNotContain(references, name => name is "Ttp.Portal" or "ttpctl");
    }

    private static HashSet<string> TransitiveReferences(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<AssemblyName>(root.GetReferencedAssemblies());
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (name.Name is null || !seen.Add(name.Name))
            {
                continue;
            }

            // The framework's own assemblies reference only each other; no need to walk them.
            if (name.Name.StartsWith("System", StringComparison.Ordinal) || name.Name is "netstandard" or "mscorlib")
            {
                continue;
            }

            foreach (var reference in Assembly.Load(name).GetReferencedAssemblies())
            {
                pending.Push(reference);
            }
        }

        return seen;
    }
}
