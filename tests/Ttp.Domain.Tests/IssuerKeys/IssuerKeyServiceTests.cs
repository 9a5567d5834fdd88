using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain.Data;
using Ttp.Domain.IssuerKeys;
using Ttp.Domain.Tests.KeyRequests;

namespace Ttp.Domain.Tests.IssuerKeys;

/// <summary>Key components handed to the import are cleared even when the import is refused before combining them.</summary>
public sealed class IssuerKeyServiceTests
{
    [Theory]
    [InlineData("00001", 1, "emv")]     // odd-length IIN
    [InlineData("000001", 300, "emv")]  // KVN out of range
    [InlineData("000001", 1, "kdf3")]   // method does not fit SCP02
    public async Task ImportAsync_RefusedBeforeCombining_ClearsComponents(string iin, int kvn, string method)
    {
        await using var env = await KeyRequestEnvironment.CreateAsync(DatabaseProvider.Sqlite);
        var service = env.Services.GetRequiredService<IssuerKeyService>();
        var components = new List<byte[]> { Enumerable.Repeat((byte)0x11, 16).ToArray(), Enumerable.Repeat((byte)0x22, 16).ToArray() };
        var import = new IssuerKeyImport(iin, kvn, SecureChannelScheme.Scp02, method == "emv" ? DiversificationMethod.EmvCps11 : DiversificationMethod.Kdf3);

        var refusal = await Assert.ThrowsAnyAsync<Exception>(() => service.ImportAsync(import, components, Actor.System));

        Assert.True(refusal is DomainInputException or Ttp.Crypto.CryptoInputException, refusal.GetType().Name);
        Assert.All(components, c => Assert.All(c, b => Assert.Equal(0, b)));
    }
}
