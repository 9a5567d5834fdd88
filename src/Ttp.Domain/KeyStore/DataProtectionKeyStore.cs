using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Domain.KeyStore;

/// <summary>
/// The portal's data-protection key ring in the database (<see cref="DataProtectionKeyRecord"/>), each key an LMK
/// envelope. The portal's <c>IXmlRepository</c> reads and adds through it; every node on one database therefore
/// protects and unprotects cookies with the same keys. A key is added in an audited transaction (no key material in the
/// record); a row that does not open is left out and raised as an integrity failure.
/// </summary>
public sealed class DataProtectionKeyStore(
    IDbContextFactory<TtpDbContext> factory,
    AuditedTransaction audited,
    KeyVault vault,
    Integrity.IntegrityAlarm alarm,
    TimeProvider time)
{
    /// <summary>The audit action of a key added to the ring.</summary>
    public const string KeyAddedAction = "dataprotection.key-added";

    /// <summary>The key elements (XML text) whose envelopes open, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ThenBy(k => k.Id).ToListAsync(cancellationToken);
        var elements = new List<string>(rows.Count);
        foreach (var row in rows)
        {
            try
            {
                using var clear = vault.Open(row.EnvelopeContext, row.Envelope);
                elements.Add(Encoding.UTF8.GetString(clear.Bytes));
            }
            catch (IntegrityException e)
            {
                await alarm.StoredKeyDamagedAsync(
                    $"data-protection key {row.FriendlyName}",
                    Convert.ToHexString(SHA256.HashData(row.Envelope.Payload))[..16],
                    e.Message,
                    cancellationToken);
            }
        }

        return elements;
    }

    /// <summary>Seals <paramref name="element"/> (a key's XML text) and adds it, with its audit record, in one transaction.</summary>
    public Task AddAsync(string friendlyName, string element, CancellationToken cancellationToken = default) =>
        audited.RunAsync(async db =>
        {
            db.DataProtectionKeys.Add(Seal(friendlyName, element));
            await Task.CompletedTask;
            return (true, AuditRecord.StaffAction(KeyAddedAction, Actor.System, "data-protection key ring", new { Key = friendlyName }));
        }, cancellationToken);

    /// <summary>A new row holding <paramref name="element"/> sealed under the LMK (the clear bytes zeroed).</summary>
    internal DataProtectionKeyRecord Seal(string friendlyName, string element)
    {
        var row = new DataProtectionKeyRecord { Id = Guid.NewGuid(), FriendlyName = friendlyName, CreatedAt = time.GetUtcNow() };
        var clear = Encoding.UTF8.GetBytes(element);
        try
        {
            row.Envelope = vault.Seal(row.EnvelopeContext, clear);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }

        return row;
    }
}
