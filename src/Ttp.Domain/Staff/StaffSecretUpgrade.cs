using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Staff;

/// <summary>
/// The conversion of an installation of the previous release, where Identity kept authenticator secrets and recovery
/// codes in clear tokens: each authenticator secret is sealed under the LMK (<see cref="StaffAuthenticatorKey"/>) and its
/// token deleted; each list of recovery codes is replaced by its hashes. One audited transaction, then a marker file in
/// the data directory records that it is done. From then on a clear token (which only SQL or an old backup can write) is
/// never converted, so it cannot replace a staff member's sealed secret: the store ignores it, and it is raised as an
/// integrity failure (Critical log, audit record) once per process.
/// </summary>
public sealed class StaffSecretUpgrade(
    IDbContextFactory<TtpDbContext> factory,
    AuditedTransaction audited,
    KeyVault vault,
    Integrity.IntegrityAlarm alarm,
    IOptions<DataOptions> data)
{
    /// <summary>The marker's file name in the data directory.</summary>
    public const string MarkerFileName = "staff-2fa-secrets.done";

    private const string MarkerText = "Staff authenticator secrets are sealed and recovery codes hashed.";

    /// <summary>The marker's full path.</summary>
    public string MarkerPath => UpgradeMarker.PathOf(data.Value, MarkerFileName);

    /// <summary>
    /// Converts what is in clear, once; returns how many staff members' secrets were converted (0 once done: clear
    /// tokens found then are refused and raised, not converted).
    /// </summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        await using (var probe = await factory.CreateDbContextAsync(cancellationToken))
        {
            var clear = await ClearTokens(probe)
                .Join(probe.Users, t => t.UserId, u => u.Id, (t, u) => new { u.Email, t.Name })
                .ToListAsync(cancellationToken);
            if (UpgradeMarker.IsDone(data.Value, MarkerFileName))
            {
                foreach (var token in clear)
                {
                    await alarm.ClearStaffSecretRefusedAsync($"staff account {token.Email}: {token.Name} token in clear", cancellationToken);
                }

                return 0;
            }

            if (clear.Count == 0)
            {
                await UpgradeMarker.MarkDoneAsync(data.Value, MarkerFileName, MarkerText, cancellationToken);
                return 0;
            }
        }

        var converted = await audited.RunAsync(async db =>
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
        await UpgradeMarker.MarkDoneAsync(data.Value, MarkerFileName, MarkerText, cancellationToken);
        return converted;
    }

    private static IQueryable<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>> ClearTokens(TtpDbContext db) =>
        db.UserTokens.Where(t => t.LoginProvider == StaffUserStore.InternalProvider
            && (t.Name == StaffUserStore.AuthenticatorKeyName
                || (t.Name == StaffUserStore.RecoveryCodesName && t.Value != null && !t.Value.StartsWith(StaffUserStore.HashedPrefix))));
}
