namespace Ttp.Domain.KeyStore;

/// <summary>A key the server itself uses (the audit and access-record HMAC keys), stored as an envelope under the LMK.</summary>
public sealed class SystemKey
{
    /// <summary>Fixed id of the audit key record.</summary>
    public static readonly Guid AuditKeyId = new("a0d17000-0000-4000-8000-000000000001");

    /// <summary>Fixed id of the access-record key (<see cref="Integrity.RecordAuthenticator"/>).</summary>
    public static readonly Guid RecordKeyId = new("a0d17000-0000-4000-8000-000000000002");

    public Guid Id { get; set; }

    public KeyKind Kind { get; set; }

    public KeyEnvelope Envelope { get; set; } = new();

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The envelope's associated data.</summary>
    public EnvelopeContext EnvelopeContext => new(Id, Kind, "HMACSHA256", 1);
}
