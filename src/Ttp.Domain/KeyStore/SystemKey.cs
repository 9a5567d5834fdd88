namespace Ttp.Domain.KeyStore;

/// <summary>
/// A key the server itself uses (the audit and access-record HMAC keys, the audit signing key), stored as an envelope
/// under the LMK.
/// </summary>
public sealed class SystemKey
{
    /// <summary>Fixed id of the audit key record.</summary>
    public static readonly Guid AuditKeyId = new("a0d17000-0000-4000-8000-000000000001");

    /// <summary>Fixed id of the access-record key (<see cref="Integrity.RecordAuthenticator"/>).</summary>
    public static readonly Guid RecordKeyId = new("a0d17000-0000-4000-8000-000000000002");

    /// <summary>Fixed id of the audit signing key (<see cref="Audit.AuditSigningKey"/>: the checkpoints' ECDSA P-256 key).</summary>
    public static readonly Guid AuditSigningKeyId = new("a0d17000-0000-4000-8000-000000000003");

    public Guid Id { get; set; }

    public KeyKind Kind { get; set; }

    public KeyEnvelope Envelope { get; set; } = new();

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The envelope's associated data: the HMAC keys as <c>HMACSHA256</c>, the signing key as <c>ECDSAP256</c>.</summary>
    public EnvelopeContext EnvelopeContext => new(Id, Kind, Kind == KeyKind.AuditSigningKey ? "ECDSAP256" : "HMACSHA256", 1);
}
