using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Ttp.Crypto;
using Ttp.Domain.Audit;
using Ttp.Domain.Data;

namespace Ttp.Domain.KeyStore;

/// <summary>
/// Seals keys into <see cref="KeyEnvelope"/>s and opens them (docs/DESIGN.md section 3): the key under AES-256-GCM with a
/// fresh 32-byte data key and the record's <see cref="EnvelopeContext.AssociatedData"/>; the data key wrapped by the
/// <see cref="ILmkProvider"/> with <see cref="EnvelopeContext.LmkAssociatedData()"/>. New envelopes go under the next LMK
/// while a rotation is in progress, else under the current one. No key byte is stored, logged, or put in an exception
/// message; data keys are cleared after use.
/// </summary>
public sealed class KeyVault
{
    /// <summary>The newest envelope format: 2, associated data with the record's attributes (1 without; see <see cref="EnvelopeContext.FormatVersion"/>).</summary>
    public const int FormatVersion = 2;

    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int DataKeyLength = LmkWrapFormat.DataKeyLength;

    private readonly TimeProvider _time;

    /// <summary>Creates the vault over the process's LMK provider.</summary>
    public KeyVault(ILmkProvider lmk, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(lmk);
        Lmk = lmk;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The LMK provider (its id and <see cref="ILmkProvider.IsSoftware"/> for the portal's banner).</summary>
    public ILmkProvider Lmk { get; }

    /// <summary>Seals <paramref name="key"/> for the record named by <paramref name="context"/>.</summary>
    /// <param name="context">The owning record; the envelope opens only with the same context.</param>
    /// <param name="key">The key in clear; the caller keeps and clears its buffer.</param>
    public KeyEnvelope Seal(EnvelopeContext context, ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("There is no key to seal.", nameof(key));
        }

        Lmk.Refresh();
        var lmkId = Lmk.NextLmkId ?? Lmk.CurrentLmkId;
        var payload = new byte[NonceLength + key.Length + TagLength];
        Span<byte> dataKey = stackalloc byte[DataKeyLength];
        try
        {
            RandomNumberGenerator.Fill(dataKey);
            var nonce = payload.AsSpan(0, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            using (var gcm = new AesGcm(dataKey, TagLength))
            {
                gcm.Encrypt(nonce, key, payload.AsSpan(NonceLength, key.Length), payload.AsSpan(NonceLength + key.Length), context.AssociatedData());
            }

            return new KeyEnvelope
            {
                FormatVersion = context.FormatVersion,
                LmkId = lmkId,
                WrappedDataKey = Lmk.Wrap(lmkId, dataKey, context.LmkAssociatedData()),
                Payload = payload,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Opens an envelope sealed for <paramref name="context"/>.</summary>
    /// <returns>The key; dispose it to clear it.</returns>
    /// <exception cref="IntegrityException">The envelope does not open: altered, copied from another record, sealed under
    /// an LMK this server does not hold, or of an unknown format. The message names the record, never key bytes.</exception>
    public SensitiveBytes Open(EnvelopeContext context, KeyEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.FormatVersion != context.FormatVersion)
        {
            throw new IntegrityException(envelope.FormatVersion == 1 && context.FormatVersion == 2
                ? $"The key envelope of {context} has format 1, without its attributes sealed: it was not converted by the upgrade, or was written back from an old copy"
                : $"The key envelope of {context} has format {envelope.FormatVersion}; a {context.Kind} envelope has format {context.FormatVersion}");
        }

        return OpenChecked(context, envelope);
    }

    /// <summary>
    /// Opens an envelope of the previous release (format 1: without the record's attributes) for the one-time upgrade
    /// that re-seals it with them (<see cref="EnvelopeAttributeUpgrade"/>); nothing else opens format 1 for a record that
    /// has attributes.
    /// </summary>
    internal SensitiveBytes OpenFormat1(EnvelopeContext context, KeyEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.FormatVersion != 1)
        {
            throw new IntegrityException($"The key envelope of {context} has format {envelope.FormatVersion}, not 1");
        }

        return OpenChecked(context.WithoutAttributes(), envelope);
    }

    private SensitiveBytes OpenChecked(EnvelopeContext context, KeyEnvelope envelope)
    {

        if (envelope.Payload is not { Length: > NonceLength + TagLength } payload)
        {
            throw DoesNotOpen(context, envelope.LmkId);
        }

        Span<byte> dataKey = stackalloc byte[DataKeyLength];
        try
        {
            UnwrapDataKey(context.ToString(), context.LmkAssociatedData(), envelope, dataKey);
            var length = payload.Length - NonceLength - TagLength;
            var key = GC.AllocateUninitializedArray<byte>(length, pinned: true);
            try
            {
                using var gcm = new AesGcm(dataKey, TagLength);
                gcm.Decrypt(payload.AsSpan(0, NonceLength), payload.AsSpan(NonceLength, length), payload.AsSpan(NonceLength + length), key, context.AssociatedData());
                return new SensitiveBytes(key);
            }
            catch (AuthenticationTagMismatchException)
            {
                CryptographicOperations.ZeroMemory(key);
                throw DoesNotOpen(context, envelope.LmkId);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>
    /// The audit chain's HMAC key, created on first use as a <see cref="SystemKey"/> (id <see cref="SystemKey.AuditKeyId"/>)
    /// and saved through <paramref name="db"/> (use a context of its own: pending changes would be saved with it).
    /// </summary>
    /// <remarks>
    /// A random key bound to the LMK by its envelope, not derived from the LMK: re-deriving it from a new LMK after a
    /// rotation would change the key and break the existing chain, whereas the envelope is simply re-wrapped by
    /// <see cref="LmkRotation"/> and the key stays the same.
    /// </remarks>
    /// <exception cref="IntegrityException">The stored audit key does not open, or it is missing while the audit trail holds records.</exception>
    public async Task<AuditKey> GetOrCreateAuditKeyAsync(TtpDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return new AuditKey(await GetOrCreateSystemKeyAsync(
            db, SystemKey.AuditKeyId, KeyKind.AuditKey, AuditKey.Length,
            async () => await db.AuditEvents.AnyAsync(cancellationToken) ? "the audit trail holds records" : null,
            cancellationToken));
    }

    /// <summary>
    /// A key of the server of <paramref name="length"/> bytes, stored as a <see cref="SystemKey"/> envelope; created when
    /// missing (random bytes, or <paramref name="generate"/>'s pinned buffer of that length) unless
    /// <paramref name="dependents"/> names data that the missing key protected (then the key was deleted, and a new one
    /// would hide that: an integrity failure).
    /// </summary>
    /// <returns>The key in a pinned buffer; the caller owns and clears it.</returns>
    internal async Task<byte[]> GetOrCreateSystemKeyAsync(
        TtpDbContext db, Guid id, KeyKind kind, int length, Func<Task<string?>> dependents, CancellationToken cancellationToken,
        Func<byte[]>? generate = null)
    {
        var existing = await db.SystemKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (existing is not null)
        {
            return OpenSystemKey(existing, kind, length);
        }

        if (await dependents() is { } protectedData)
        {
            throw new IntegrityException(
                $"The {kind} ({id:D}) is missing from the database although {protectedData}: it was deleted. Restore the database from a backup; a new key would hide the change");
        }

        byte[] key;
        if (generate is null)
        {
            key = GC.AllocateArray<byte>(length, pinned: true);
            RandomNumberGenerator.Fill(key);
        }
        else if ((key = generate()).Length != length)
        {
            CryptographicOperations.ZeroMemory(key);
            throw new InvalidOperationException($"The generated {kind} is not {length} bytes.");
        }

        var record = new SystemKey { Id = id, Kind = kind, CreatedAt = _time.GetUtcNow() };
        record.Envelope = Seal(record.EnvelopeContext, key);
        db.SystemKeys.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return key;
        }
        catch (DbUpdateException)
        {
            // Another process created the key first: use that one.
            CryptographicOperations.ZeroMemory(key);
            db.Entry(record).State = EntityState.Detached;
            var winner = await db.SystemKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
            if (winner is null)
            {
                throw;
            }

            return OpenSystemKey(winner, kind, length);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(key);
            throw;
        }
    }

    /// <summary>
    /// Re-wraps an envelope's data key under <paramref name="lmkId"/> (the payload is unchanged): the step of an LMK
    /// rotation. Needs only the record's id and kind (<see cref="EnvelopeContext.LmkAssociatedData()"/>).
    /// </summary>
    /// <returns>The new wrapped data key.</returns>
    /// <exception cref="IntegrityException">The data key does not unwrap.</exception>
    internal byte[] Rewrap(Guid recordId, KeyKind kind, KeyEnvelope envelope, string lmkId)
    {
        var associatedData = EnvelopeContext.LmkAssociatedData(recordId, kind);
        Span<byte> dataKey = stackalloc byte[DataKeyLength];
        try
        {
            UnwrapDataKey($"{kind} {recordId:D}", associatedData, envelope, dataKey);
            return Lmk.Wrap(lmkId, dataKey, associatedData);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private byte[] OpenSystemKey(SystemKey record, KeyKind kind, int length)
    {
        if (record.Kind != kind)
        {
            throw new IntegrityException($"System key {record.Id:D} should be the {kind} but is recorded as {record.Kind}");
        }

        var key = Open(record.EnvelopeContext, record.Envelope);
        if (key.Bytes.Length != length)
        {
            key.Dispose();
            throw new IntegrityException($"The {kind} ({record.EnvelopeContext}) is {key.Bytes.Length} bytes, not {length}");
        }

        return key.Bytes;
    }

    private void UnwrapDataKey(string record, byte[] associatedData, KeyEnvelope envelope, Span<byte> dataKey)
    {
        if (string.IsNullOrEmpty(envelope.LmkId) || !Lmk.Holds(envelope.LmkId))
        {
            var next = Lmk.NextLmkId is { } id ? $", next {id}" : string.Empty;
            throw new IntegrityException(
                $"The key envelope of {record} is sealed under LMK '{envelope.LmkId}', which this server does not hold (current {Lmk.CurrentLmkId}{next}): is the configured LMK the right one?");
        }

        if (!Lmk.TryUnwrap(envelope.LmkId, envelope.WrappedDataKey ?? [], associatedData, dataKey))
        {
            throw DoesNotOpen(record, envelope.LmkId);
        }
    }

    private static IntegrityException DoesNotOpen(EnvelopeContext context, string lmkId) => DoesNotOpen(context.ToString(), lmkId);

    private static IntegrityException DoesNotOpen(string record, string lmkId) =>
        new($"The key envelope of {record} does not open under LMK {lmkId}: it was altered or belongs to another record");
}
