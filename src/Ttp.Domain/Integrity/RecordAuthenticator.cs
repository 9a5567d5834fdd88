using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Ttp.Domain.Integrity;

/// <summary>
/// Computes and checks the MACs of the access records (<see cref="IAuthenticatedRecord"/>) with the access-record key
/// (HMAC-SHA256, 32 bytes, stored only as an LMK envelope). Writers seal every added or changed record in the same
/// transaction (<see cref="AuditedTransaction"/>); readers that decide who gets which key check each record when they
/// load it and treat a record that fails as absent. Cleared on dispose.
/// </summary>
public sealed class RecordAuthenticator : IDisposable
{
    /// <summary>Key and MAC length in bytes.</summary>
    public const int Length = 32;

    private readonly byte[] _key;

    /// <summary>Takes ownership of <paramref name="key"/> (32 bytes).</summary>
    public RecordAuthenticator(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != Length)
        {
            throw new ArgumentException($"The access-record key must be {Length} bytes.", nameof(key));
        }

        _key = key;
    }

    /// <summary>Whether the record's stored MAC matches its values (compared in constant time).</summary>
    internal bool IsAuthentic(IAuthenticatedRecord record) =>
        record.RecordMac is { Length: Length } stored && CryptographicOperations.FixedTimeEquals(Compute(record), stored);

    /// <summary>Sets the MAC of <paramref name="record"/> from its current values.</summary>
    internal void Seal(IAuthenticatedRecord record) => record.SetRecordMac(Compute(record));

    /// <summary>Seals every access record that <paramref name="db"/> is about to insert or update.</summary>
    internal void SealChanges(DbContext db)
    {
        db.ChangeTracker.DetectChanges();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry is { State: EntityState.Added or EntityState.Modified, Entity: IAuthenticatedRecord record })
            {
                Seal(record);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private byte[] Compute(IAuthenticatedRecord record) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(record.CanonicalForm()));
}
