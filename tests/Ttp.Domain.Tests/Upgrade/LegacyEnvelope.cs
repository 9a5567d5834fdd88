using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ttp.Domain.KeyStore;

namespace Ttp.Domain.Tests.Upgrade;

/// <summary>
/// Key envelopes laid out as the previous release's <c>KeyVault</c> wrote them, with the BCL's AES-GCM and not this
/// release's vault (git show 197ef74:src/Ttp.Domain/KeyStore/KeyVault.cs, EnvelopeContext.cs, LmkWrapFormat.cs,
/// LmkIds.cs): the payload is nonce (12) || AES-256-GCM(data key, key) || tag (16) with the associated data
/// <c>ttp-envelope-v1|id|kind|algorithm|version</c>; the 32-byte data key is wrapped as nonce (12) ||
/// AES-256-GCM(LMK, data key) || tag (16) with <c>ttp-lmk-v1|id|kind</c>; the LMK id is <c>lmk-</c> and the first three
/// bytes of AES-ECB(LMK, zero block) in upper-case hex. Also opens an envelope with associated data the test states, so
/// that what this release wrote is checked against its documented format (docs/ARCHITECTURE.md, key store), not
/// against itself.
/// </summary>
internal static class LegacyEnvelope
{
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int DataKeyLength = 32;

    /// <summary>The LMK id of a file LMK.</summary>
    public static string LmkId(ReadOnlySpan<byte> lmk)
    {
        using var aes = Aes.Create();
        aes.Key = lmk.ToArray();
        var block = aes.EncryptEcb(new byte[16], PaddingMode.None);
        return "lmk-" + Convert.ToHexString(block, 0, 3);
    }

    /// <summary>The payload's associated data of format 1 (the previous release).</summary>
    public static string Format1AssociatedData(Guid id, KeyKind kind, string algorithm, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"ttp-envelope-v1|{id:D}|{(int)kind}|{algorithm}|{version}");

    /// <summary>The payload's associated data of format 2 (this release): format 1's fields and the record's attributes.</summary>
    public static string Format2AssociatedData(Guid id, KeyKind kind, string algorithm, int version, string attributes) =>
        string.Create(CultureInfo.InvariantCulture, $"ttp-envelope-v2|{id:D}|{(int)kind}|{algorithm}|{version}|{attributes}");

    /// <summary>Seals <paramref name="key"/> as a format-1 envelope of record <paramref name="id"/> under <paramref name="lmk"/>.</summary>
    public static StoredEnvelope SealFormat1(ReadOnlySpan<byte> lmk, Guid id, KeyKind kind, string algorithm, int version, ReadOnlySpan<byte> key)
    {
        var dataKey = RandomNumberGenerator.GetBytes(DataKeyLength);
        try
        {
            var payload = new byte[NonceLength + key.Length + TagLength];
            RandomNumberGenerator.Fill(payload.AsSpan(0, NonceLength));
            using (var gcm = new AesGcm(dataKey, TagLength))
            {
                gcm.Encrypt(payload.AsSpan(0, NonceLength), key, payload.AsSpan(NonceLength, key.Length), payload.AsSpan(NonceLength + key.Length),
                    Encoding.UTF8.GetBytes(Format1AssociatedData(id, kind, algorithm, version)));
            }

            var wrapped = new byte[NonceLength + DataKeyLength + TagLength];
            RandomNumberGenerator.Fill(wrapped.AsSpan(0, NonceLength));
            using (var gcm = new AesGcm(lmk, TagLength))
            {
                gcm.Encrypt(wrapped.AsSpan(0, NonceLength), dataKey, wrapped.AsSpan(NonceLength, DataKeyLength), wrapped.AsSpan(NonceLength + DataKeyLength),
                    LmkAssociatedData(id, kind));
            }

            return new StoredEnvelope(1, LmkId(lmk), wrapped, payload);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>
    /// Opens <paramref name="envelope"/> of record <paramref name="id"/> with the payload's associated data
    /// <paramref name="associatedData"/>; null when either layer's tag does not match. The caller clears the key.
    /// </summary>
    public static byte[]? TryOpen(ReadOnlySpan<byte> lmk, StoredEnvelope envelope, Guid id, KeyKind kind, string associatedData)
    {
        if (envelope.WrappedDataKey.Length != NonceLength + DataKeyLength + TagLength || envelope.Payload.Length <= NonceLength + TagLength)
        {
            return null;
        }

        var dataKey = new byte[DataKeyLength];
        var key = new byte[envelope.Payload.Length - NonceLength - TagLength];
        try
        {
            using (var gcm = new AesGcm(lmk, TagLength))
            {
                var wrapped = envelope.WrappedDataKey.AsSpan();
                gcm.Decrypt(wrapped[..NonceLength], wrapped.Slice(NonceLength, DataKeyLength), wrapped[(NonceLength + DataKeyLength)..], dataKey, LmkAssociatedData(id, kind));
            }

            using (var gcm = new AesGcm(dataKey, TagLength))
            {
                var payload = envelope.Payload.AsSpan();
                gcm.Decrypt(payload[..NonceLength], payload.Slice(NonceLength, key.Length), payload[(NonceLength + key.Length)..], key, Encoding.UTF8.GetBytes(associatedData));
            }

            return key;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(key);
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    private static byte[] LmkAssociatedData(Guid id, KeyKind kind) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"ttp-lmk-v1|{id:D}|{(int)kind}"));
}
