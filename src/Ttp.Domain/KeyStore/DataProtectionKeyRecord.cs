namespace Ttp.Domain.KeyStore;

/// <summary>
/// One key of the portal's data-protection key ring (which protects session cookies and antiforgery tokens), kept in the
/// database so that every portal node reads the same ring (OPERATIONS.md "Several nodes"). The whole key element is an
/// LMK envelope bound to the row's id: a database writer can neither read a key nor add one the portal would accept.
/// </summary>
public sealed class DataProtectionKeyRecord
{
    /// <summary>The envelope's algorithm label (the key element's XML, as ASP.NET Core data protection writes it).</summary>
    public const string Algorithm = "DPKEYXML";

    public Guid Id { get; set; }

    /// <summary>The name data protection gives the key (<c>key-{guid}</c>); unique, so an import runs once per key.</summary>
    public string FriendlyName { get; set; } = string.Empty;

    public KeyEnvelope Envelope { get; set; } = new();

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The envelope's associated data: the row's id and kind.</summary>
    public EnvelopeContext EnvelopeContext => new(Id, KeyKind.DataProtectionKey, Algorithm, 1);
}
