namespace Ttp.Domain.KeyStore;

/// <summary>
/// How a key is stored: AES-256-GCM under a fresh data key, the data key wrapped under the LMK named by
/// <see cref="LmkId"/> (AES-256-GCM too, in software or in the HSM). The payload's associated data is the record's id,
/// kind, algorithm and version (<see cref="EnvelopeContext.AssociatedData"/>), so an envelope copied onto another
/// record, or onto the same record with another algorithm or version, does not open; the wrapped data key's is the
/// record's id and kind (<see cref="EnvelopeContext.LmkAssociatedData()"/>), which is all an LMK rotation needs to
/// re-wrap it. Holds no key byte in clear. Create and open envelopes only through <see cref="KeyVault"/>.
/// </summary>
public sealed class KeyEnvelope
{
    /// <summary>
    /// Format version of the envelope: AES-256-GCM payload, data key wrapped by the LMK provider; 1 with the record's id,
    /// kind, algorithm and version as associated data, 2 with its attributes too (<see cref="EnvelopeContext.FormatVersion"/>).
    /// </summary>
    public int FormatVersion { get; set; } = 1;

    /// <summary>Which LMK wraps <see cref="WrappedDataKey"/> (the LMK's id, derived from its check value).</summary>
    public string LmkId { get; set; } = string.Empty;

    /// <summary>The data key, wrapped under the LMK by the provider: nonce (12) || ciphertext (32) || tag (16).</summary>
    public byte[] WrappedDataKey { get; set; } = [];

    /// <summary>Nonce (12) || ciphertext || tag (16) of the key under the data key.</summary>
    public byte[] Payload { get; set; } = [];
}
