using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Ttp.Domain.KeyStore;

namespace Ttp.Portal.Security;

/// <summary>
/// Seals each key of the portal's data-protection key ring (which protects session cookies and antiforgery tokens)
/// under the LMK, through <see cref="KeyVault"/>, before ASP.NET Core writes it to <c>data/dataprotection-keys/</c>: no
/// key of this installation is kept in clear at rest, these included. The envelope is bound to a fresh id stored
/// beside it, so one sealed element cannot be passed off as another.
/// </summary>
public sealed class LmkXmlEncryptor(KeyVault vault) : IXmlEncryptor
{
    internal const string ElementName = "ttpLmkSealed";
    internal const string Algorithm = "XML";

    /// <inheritdoc />
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var id = Guid.NewGuid();
        var clear = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            var envelope = vault.Seal(new EnvelopeContext(id, KeyKind.DataProtectionKey, Algorithm, 1), clear);
            var sealedElement = new XElement(ElementName,
                new XAttribute("id", id.ToString("D")),
                new XAttribute("format", envelope.FormatVersion.ToString(CultureInfo.InvariantCulture)),
                new XAttribute("lmk", envelope.LmkId),
                new XElement("wrappedKey", Convert.ToBase64String(envelope.WrappedDataKey)),
                new XElement("payload", Convert.ToBase64String(envelope.Payload)));
            return new EncryptedXmlInfo(sealedElement, typeof(LmkXmlDecryptor));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(clear);
        }
    }
}

/// <summary>Opens what <see cref="LmkXmlEncryptor"/> sealed (created by the data-protection system with its services).</summary>
public sealed class LmkXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    /// <inheritdoc />
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var vault = services.GetRequiredService<KeyVault>();
        var id = Guid.Parse((string?)encryptedElement.Attribute("id") ?? string.Empty, CultureInfo.InvariantCulture);
        var envelope = new KeyEnvelope
        {
            FormatVersion = int.Parse((string?)encryptedElement.Attribute("format") ?? "0", CultureInfo.InvariantCulture),
            LmkId = (string?)encryptedElement.Attribute("lmk") ?? string.Empty,
            WrappedDataKey = Convert.FromBase64String((string?)encryptedElement.Element("wrappedKey") ?? string.Empty),
            Payload = Convert.FromBase64String((string?)encryptedElement.Element("payload") ?? string.Empty),
        };
        using var clear = vault.Open(new EnvelopeContext(id, KeyKind.DataProtectionKey, LmkXmlEncryptor.Algorithm, 1), envelope);
        return XElement.Parse(Encoding.UTF8.GetString(clear.Bytes));
    }
}
