using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Staff;

/// <summary>
/// The conversion of an installation of the previous release, where Identity kept authenticator secrets and recovery
/// codes in clear tokens: each authenticator secret is sealed under the LMK (<see cref="StaffAuthenticatorKey"/>) and its
/// token deleted; each list of recovery codes is replaced by its hashes. One audited transaction; runs at every start-up
/// and finds nothing to do once done.
/// </summary>
public sealed class StaffSecretUpgrade(IDbContextFactory<TtpDbContext> factory, AuditedTransaction audited, KeyVault vault)
{
    /// <summary>Converts what is in clear; returns how many staff members' secrets were converted.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        await using (var probe = await factory.CreateDbContextAsync(cancellationToken))
        {
            if (!await ClearTokens(probe).AnyAsync(cancellationToken))
            {
                return 0;
            }
        }

        return await audited.RunAsync(async db =>
        {
            var tokens = await ClearTokens(db).ToListAsync(cancellationToken);
            foreach (var token in tokens)
            {
                if (token.Name == StaffUserStore.AuthenticatorKeyName)
                {
                    var stored = await db.StaffAuthenticatorKeys.SingleOrDefaultAsync(k => k.UserId == token.UserId, cancellationToken)
                        ?? db.StaffAuthenticatorKeys.Add(new StaffAuthenticatorKey { UserId = token.UserId }).Entity;
                    var secret = Encoding.UTF8.GetBytes(token.Value ?? string.Empty);
                    try
                    {
                        stored.Envelope = vault.Seal(stored.EnvelopeContext, secret);
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(secret);
                    }

                    db.UserTokens.Remove(token);
                }
                else
                {
                    token.Value = StaffUserStore.HashedPrefix + string.Join(
                        ';', (token.Value ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries).Select(c => StaffUserStore.Hash(token.UserId, c)));
                }
            }

            var members = tokens.Select(t => t.UserId).Distinct().Count();
            return (members, AuditRecord.StaffAction("staff.2fa-secrets-sealed", Actor.System, "staff accounts", new { Accounts = members }));
        }, cancellationToken);
    }

    private static IQueryable<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>> ClearTokens(TtpDbContext db) =>
        db.UserTokens.Where(t => t.LoginProvider == StaffUserStore.InternalProvider
            && (t.Name == StaffUserStore.AuthenticatorKeyName
                || (t.Name == StaffUserStore.RecoveryCodesName && t.Value != null && !t.Value.StartsWith(StaffUserStore.HashedPrefix))));
}
