using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Staff;

/// <summary>
/// Identity's user store with the two-factor secrets kept out of the database in clear: the authenticator secret is an
/// LMK envelope (<see cref="StaffAuthenticatorKey"/>) and never an Identity token; recovery codes are stored as
/// SHA-256 hashes salted with the user id (each code is 47 random bits, used once), compared in constant time; a code
/// presented is first put in its printed form (<see cref="RecoveryCodes.Canonical"/>).
/// </summary>
public sealed class StaffUserStore(TtpDbContext context, KeyVault vault, IdentityErrorDescriber? describer = null)
    : UserStore<StaffUser, IdentityRole<Guid>, TtpDbContext, Guid>(context, describer)
{
    /// <summary>Identity's login provider for its own tokens.</summary>
    public const string InternalProvider = "[AspNetUserStore]";

    /// <summary>Identity's token name of the authenticator secret.</summary>
    public const string AuthenticatorKeyName = "AuthenticatorKey";

    /// <summary>Identity's token name of the recovery codes.</summary>
    public const string RecoveryCodesName = "RecoveryCodes";

    /// <summary>Prefix of the stored recovery-code hashes.</summary>
    public const string HashedPrefix = "sha256:";

    /// <inheritdoc />
    public override async Task SetTokenAsync(StaffUser user, string loginProvider, string name, string? value, CancellationToken cancellationToken)
    {
        if (!IsAuthenticatorKey(loginProvider, name))
        {
            await base.SetTokenAsync(user, loginProvider, name, value, cancellationToken);
            return;
        }

        ArgumentNullException.ThrowIfNull(user);
        var stored = await Context.StaffAuthenticatorKeys.SingleOrDefaultAsync(k => k.UserId == user.Id, cancellationToken);
        if (value is null)
        {
            if (stored is not null)
            {
                Context.StaffAuthenticatorKeys.Remove(stored);
            }

            return;
        }

        stored ??= Context.StaffAuthenticatorKeys.Add(new StaffAuthenticatorKey { UserId = user.Id }).Entity;
        var secret = Encoding.UTF8.GetBytes(value);
        try
        {
            stored.Envelope = vault.Seal(stored.EnvelopeContext, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <inheritdoc />
    public override async Task<string?> GetTokenAsync(StaffUser user, string loginProvider, string name, CancellationToken cancellationToken)
    {
        if (!IsAuthenticatorKey(loginProvider, name))
        {
            return await base.GetTokenAsync(user, loginProvider, name, cancellationToken);
        }

        ArgumentNullException.ThrowIfNull(user);
        var stored = await Context.StaffAuthenticatorKeys.AsNoTracking().SingleOrDefaultAsync(k => k.UserId == user.Id, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        using var secret = vault.Open(stored.EnvelopeContext, stored.Envelope);
        return Encoding.UTF8.GetString(secret.Bytes);
    }

    /// <inheritdoc />
    public override Task RemoveTokenAsync(StaffUser user, string loginProvider, string name, CancellationToken cancellationToken) =>
        IsAuthenticatorKey(loginProvider, name)
            ? SetTokenAsync(user, loginProvider, name, null, cancellationToken)
            : base.RemoveTokenAsync(user, loginProvider, name, cancellationToken);

    /// <inheritdoc />
    public override Task ReplaceCodesAsync(StaffUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        return base.SetTokenAsync(user, InternalProvider, RecoveryCodesName, StoredCodes(user.Id, recoveryCodes), cancellationToken);
    }

    /// <summary>The stored form of a set of recovery codes (the token's value): the prefix, then each code's hash.</summary>
    internal static string StoredCodes(Guid userId, IEnumerable<string> codes) =>
        HashedPrefix + string.Join(';', codes.Select(c => Hash(userId, c)));

    /// <inheritdoc />
    public override async Task<bool> RedeemCodeAsync(StaffUser user, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(code);
        var hashes = await StoredHashesAsync(user, cancellationToken);
        // Typed in any case, with or without the dash and spaces: compared in the printed form the hashes are of.
        var presented = Convert.FromBase64String(Hash(user.Id, RecoveryCodes.Canonical(code)));
        var match = -1;
        for (var i = 0; i < hashes.Count; i++)
        {
            // Every entry is compared, in constant time, whatever matched before.
            if (CryptographicOperations.FixedTimeEquals(presented, Convert.FromBase64String(hashes[i])))
            {
                match = i;
            }
        }

        if (match < 0)
        {
            return false;
        }

        hashes.RemoveAt(match);
        await base.SetTokenAsync(user, InternalProvider, RecoveryCodesName, HashedPrefix + string.Join(';', hashes), cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public override async Task<int> CountCodesAsync(StaffUser user, CancellationToken cancellationToken) =>
        (await StoredHashesAsync(user, cancellationToken)).Count;

    /// <summary>A recovery code's stored form: base64 of SHA-256(user id bytes || UTF-8 of the code).</summary>
    internal static string Hash(Guid userId, string code) =>
        Convert.ToBase64String(SHA256.HashData([.. userId.ToByteArray(), .. Encoding.UTF8.GetBytes(code.Trim())]));

    private async Task<List<string>> StoredHashesAsync(StaffUser user, CancellationToken cancellationToken)
    {
        var stored = await base.GetTokenAsync(user, InternalProvider, RecoveryCodesName, cancellationToken);
        return stored is { Length: > 0 } && stored.StartsWith(HashedPrefix, StringComparison.Ordinal)
            ? [.. stored[HashedPrefix.Length..].Split(';', StringSplitOptions.RemoveEmptyEntries)]
            : [];
    }

    private static bool IsAuthenticatorKey(string loginProvider, string name) =>
        loginProvider == InternalProvider && name == AuthenticatorKeyName;
}
