namespace Ttp.Domain.Tests.Upgrade;

/// <summary>
/// A staff member of the previous release and the secrets the test knows: the password, the authenticator secret (and
/// its base32 form, which Identity stored in clear) and the recovery codes. <see cref="ToString"/> names the account
/// only, so that no assertion message shows a secret.
/// </summary>
internal sealed class LegacyStaffUser(Guid id, string email, string password, byte[] authenticatorSecret, string authenticatorKey, string[] recoveryCodes)
{
    public Guid Id { get; } = id;

    public string Email { get; } = email;

    public string Password { get; } = password;

    /// <summary>The TOTP secret (20 bytes).</summary>
    public byte[] AuthenticatorSecret { get; } = authenticatorSecret;

    /// <summary>The secret in base32, as Identity's <c>AuthenticatorKey</c> token held it.</summary>
    public string AuthenticatorKey { get; } = authenticatorKey;

    /// <summary>The recovery codes, as Identity's <c>RecoveryCodes</c> token held them (joined with ';').</summary>
    public IReadOnlyList<string> RecoveryCodes { get; } = recoveryCodes;

    public override string ToString() => Email;
}
