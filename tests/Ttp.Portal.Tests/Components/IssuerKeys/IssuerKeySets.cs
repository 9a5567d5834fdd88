using Microsoft.Extensions.DependencyInjection;
using Ttp.Crypto.GlobalPlatform;
using Ttp.Domain;
using Ttp.Domain.IssuerKeys;
using Ttp.Portal.Tests.Components.Tsms;

namespace Ttp.Portal.Tests.Components.IssuerKeys;

/// <summary>Key sets for the issuer key pages, imported and activated through the real domain.</summary>
internal static class IssuerKeySets
{
    public static IssuerKeyService Keys(this PortalDomain domain) => domain.Context.Services.GetRequiredService<IssuerKeyService>();

    /// <summary>Imports an SCP02 EMV CPS 1.1 key set from two components (0x11.., 0x22..) and, unless told otherwise, activates it.</summary>
    public static async Task<IssuerKeySet> AddAsync(PortalDomain domain, string iin, int kvn, bool activate = true)
    {
        var keys = domain.Keys();
        var set = await keys.ImportAsync(
            new IssuerKeyImport(iin, kvn, SecureChannelScheme.Scp02, DiversificationMethod.EmvCps11),
            [Enumerable.Repeat((byte)0x11, 16).ToArray(), Enumerable.Repeat((byte)0x22, 16).ToArray()],
            Actor.System);
        return activate ? await keys.ActivateAsync(iin, kvn, Actor.System) : set;
    }
}
