namespace Ttp.Domain.KeyStore;

/// <summary>What a stored key is; part of every envelope's associated data.</summary>
public enum KeyKind
{
    /// <summary>An issuer master key (or one of the three keys of a key set).</summary>
    IssuerMasterKey = 1,

    /// <summary>A key-exchange key shared with one TSM.</summary>
    Kek = 2,

    /// <summary>The partial XOR of a ceremony in progress.</summary>
    CeremonyPartial = 3,

    /// <summary>The HMAC key of the audit chain.</summary>
    AuditKey = 4,

    /// <summary>A key of the portal's ASP.NET Core data-protection key ring (cookies, antiforgery), kept as a file.</summary>
    DataProtectionKey = 5,

    /// <summary>The HMAC key of the access records (TSMs, their certificates and issuer scope).</summary>
    RecordKey = 6,

    /// <summary>A staff member's authenticator (TOTP) secret.</summary>
    AuthenticatorKey = 7,

    /// <summary>The ECDSA P-256 private key that signs the audit trail's checkpoints (its private scalar is sealed).</summary>
    AuditSigningKey = 8,
}
