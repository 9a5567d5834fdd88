extern alias tsm;

namespace Ttp.TsmClient.Tests;

/// <summary>ttp-tsm knows the TTP only through its public contract: it references the crypto core and nothing of the product.</summary>
public sealed class TsmClientDependencyTests
{
    [Fact]
    public void TsmClient_References_CryptoCoreOnly()
    {
        var references = typeof(tsm::Ttp.TsmClient.ProvisionOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Ttp.Crypto", references);
        Assert.DoesNotContain(references, name => name is "Ttp.Domain" or "Ttp.Portal" or "ttpctl" or "Ttp.CardSimulator");
    }
}
