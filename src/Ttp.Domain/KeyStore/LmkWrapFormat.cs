using System.Security.Cryptography;

namespace Ttp.Domain.KeyStore;

/// <summary>
/// The wrapped data key, the same for both providers: nonce (12) || AES-256-GCM ciphertext (32) || tag (16) under the
/// LMK, with the LMK-layer associated data (<see cref="EnvelopeContext.LmkAssociatedData()"/>). The file provider runs
/// GCM here; the PKCS#11 provider runs <c>CKM_AES_GCM</c> in the token and lays the bytes out the same way.
/// </summary>
internal static class LmkWrapFormat
{
    public const int NonceLength = 12;
    public const int TagLength = 16;
    public const int DataKeyLength = 32;
    public const int WrappedLength = NonceLength + DataKeyLength + TagLength;

    /// <summary>Wraps <paramref name="dataKey"/> under a software LMK.</summary>
    public static byte[] Wrap(ReadOnlySpan<byte> lmk, ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> associatedData)
    {
        RequireDataKey(dataKey.Length);
        var wrapped = new byte[WrappedLength];
        var nonce = wrapped.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(lmk, TagLength);
        gcm.Encrypt(nonce, dataKey, wrapped.AsSpan(NonceLength, DataKeyLength), wrapped.AsSpan(NonceLength + DataKeyLength), associatedData);
        return wrapped;
    }

    /// <summary>Unwraps into <paramref name="dataKey"/>; false when the bytes or the associated data were altered or the
    /// LMK is not the one that wrapped them.</summary>
    public static bool TryUnwrap(ReadOnlySpan<byte> lmk, ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> associatedData, Span<byte> dataKey)
    {
        RequireDataKey(dataKey.Length);
        if (wrapped.Length != WrappedLength)
        {
            return false;
        }

        using var gcm = new AesGcm(lmk, TagLength);
        try
        {
            gcm.Decrypt(wrapped[..NonceLength], wrapped.Slice(NonceLength, DataKeyLength), wrapped[(NonceLength + DataKeyLength)..], dataKey, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(dataKey);
            return false;
        }
    }

    public static void RequireDataKey(int length)
    {
        if (length != DataKeyLength)
        {
            throw new ArgumentException($"A data key is {DataKeyLength} bytes, not {length}.");
        }
    }
}
