using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Staff;

/// <summary>
/// A staff member's authenticator (TOTP) secret, sealed under the LMK instead of Identity's clear token
/// (<see cref="StaffUserStore"/>). One per staff member; replaced when they enrol again, removed when 2FA is reset.
/// </summary>
public sealed class StaffAuthenticatorKey
{
    /// <summary>The staff member's id.</summary>
    public Guid UserId { get; set; }

    /// <summary>The secret (base32 text as Identity uses it, UTF-8) under the LMK.</summary>
    public KeyEnvelope Envelope { get; set; } = new();

    /// <summary>The envelope's associated data: the staff member's id and kind.</summary>
    public EnvelopeContext EnvelopeContext => new(UserId, KeyKind.AuthenticatorKey, "TOTP", 1);
}
