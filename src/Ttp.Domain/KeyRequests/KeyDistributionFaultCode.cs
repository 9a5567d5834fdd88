namespace Ttp.Domain.KeyRequests;

/// <summary>Why a key request was refused (docs/DESIGN.md section 5); the SOAP fault's <c>Code</c>.</summary>
public enum KeyDistributionFaultCode
{
    /// <summary>Malformed or inconsistent request data (the caller's fault).</summary>
    InvalidRequest = 1,

    /// <summary>Certificate unknown, TSM not accredited, suspended or revoked, or certificate expired.</summary>
    NotAccredited = 2,

    /// <summary>The TSM is not allowed this issuer or key set.</summary>
    ScopeDenied = 3,

    /// <summary>No key set for this issuer.</summary>
    UnknownIssuer = 4,

    /// <summary>The issuer has no active key set with this key version number.</summary>
    UnknownKeySet = 5,

    /// <summary>The TSM has no active KEK with this index.</summary>
    UnknownKek = 6,

    /// <summary>The KEK is weaker than the keys it would wrap.</summary>
    WeakKek = 7,

    /// <summary>The TSM sends faster than its rate limit.</summary>
    RateLimited = 8,

    /// <summary>The database, key store or audit trail is unavailable; no key was released.</summary>
    ServiceUnavailable = 9,
}
