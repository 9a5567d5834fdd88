namespace Ttp.Domain.KeyStore;

/// <summary>
/// Holds the LMK (local master key, AES-256, the root of the key hierarchy; docs/DESIGN.md section 3) and wraps data keys
/// under it. Two implementations: a key file (<see cref="LmkProviderKind.File"/>) and an HSM key reached through PKCS#11
/// (<see cref="LmkProviderKind.Pkcs11"/>); create one with <see cref="LmkProviderFactory"/>. Both wrap the same way
/// (AES-256-GCM, nonce || ciphertext || tag), so a wrapped key depends only on the LMK's value, not on the provider.
/// No member returns, logs or throws LMK bytes; only <see cref="TryUnwrap"/> writes a data key, into the caller's buffer.
/// </summary>
/// <remarks>
/// Rotation (<see cref="LmkRotation"/>): <see cref="BeginRotation"/> creates (or, when resuming, loads) the next LMK;
/// from then on new envelopes are sealed under it, and both LMKs unwrap. <see cref="CompleteRotation"/> makes the next
/// LMK current and keeps the old one as a retired LMK (file <c>&lt;FilePath&gt;.retired-&lt;id&gt;</c>, or HSM key
/// <c>&lt;KeyLabel&gt;-retired-&lt;id&gt;</c>), which still unwraps (a restored pre-rotation backup) until the operator
/// deletes it. Another process (the portal while <c>ttpctl lmk rotate</c> runs) sees these changes through
/// <see cref="Refresh"/>, which <see cref="KeyVault"/> calls before each seal and on an unknown LMK id.
/// </remarks>
public interface ILmkProvider : IDisposable
{
    /// <summary>The current LMK's id, <c>lmk-</c> + its check value, e.g. <c>lmk-8A3F21</c>.</summary>
    string CurrentLmkId { get; }

    /// <summary>The next LMK's id while a rotation is in progress, else null.</summary>
    string? NextLmkId { get; }

    /// <summary>True when the LMK is held in software (a key file, or SoftHSM): the portal shows "software LMK: not for
    /// production".</summary>
    bool IsSoftware { get; }

    /// <summary>Where the LMK is, for operators and logs (a file path, or a token and key label); never a secret.</summary>
    string Description { get; }

    /// <summary>Re-reads the LMK state from the file system or token (a rotation run by another process).</summary>
    /// <exception cref="IntegrityException">A next LMK is there that no recorded rotation started (file provider: a
    /// next-LMK file without its rotation record); it is not used.</exception>
    void Refresh();

    /// <summary>True when this provider can unwrap under <paramref name="lmkId"/>: the current, the next or a retired LMK
    /// still present. Looks in storage again before answering false.</summary>
    bool Holds(string lmkId);

    /// <summary>Wraps a 32-byte data key under the current or the next LMK.</summary>
    /// <param name="lmkId"><see cref="CurrentLmkId"/> or <see cref="NextLmkId"/>.</param>
    /// <param name="dataKey">The data key (32 bytes).</param>
    /// <param name="associatedData">Bound to the wrapped key: unwrapping with other associated data fails.</param>
    /// <returns>nonce (12) || ciphertext (32) || tag (16).</returns>
    byte[] Wrap(string lmkId, ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> associatedData);

    /// <summary>Unwraps a data key into <paramref name="dataKey"/> (32 bytes).</summary>
    /// <returns>False when the wrapped key does not open under <paramref name="lmkId"/> with
    /// <paramref name="associatedData"/> (altered, moved to another record, or wrapped under another key).</returns>
    /// <exception cref="LmkUnavailableException">The provider does not hold <paramref name="lmkId"/> (see <see cref="Holds"/>).</exception>
    bool TryUnwrap(string lmkId, ReadOnlySpan<byte> wrappedKey, ReadOnlySpan<byte> associatedData, Span<byte> dataKey);

    /// <summary>Creates the next LMK, or loads it when a rotation was interrupted; returns its id. The file provider
    /// records the rotation as started before it writes the next LMK, and uses no next LMK without that record.</summary>
    string BeginRotation();

    /// <summary>Makes the next LMK current and retires the old one. Call only when no envelope is under the old LMK any
    /// more. Does nothing when no rotation is in progress.</summary>
    void CompleteRotation();
}
