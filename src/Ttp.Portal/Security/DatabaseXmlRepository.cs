using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Ttp.Domain.KeyStore;

namespace Ttp.Portal.Security;

/// <summary>
/// The data-protection key ring in the database (<see cref="DataProtectionKeyStore"/>: each key an LMK envelope), so that
/// every portal node on one database reads and writes the same ring: a cookie issued by one node is accepted by the
/// others (OPERATIONS.md "Several nodes").
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous: the store's calls are awaited here. Data protection calls it rarely
/// (when it loads or refreshes its key ring, when it creates a key) and never on a synchronization context.
/// </remarks>
public sealed class DatabaseXmlRepository(DataProtectionKeyStore store) : IXmlRepository
{
    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements() =>
        store.ReadAllAsync().GetAwaiter().GetResult().Select(e => XElement.Parse(e)).ToList();

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        store.AddAsync(friendlyName, element.ToString(SaveOptions.DisableFormatting)).GetAwaiter().GetResult();
    }
}
