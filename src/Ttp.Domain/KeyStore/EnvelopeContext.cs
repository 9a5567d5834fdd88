using System.Globalization;
using System.Text;

namespace Ttp.Domain.KeyStore;

/// <summary>
/// The record a key envelope belongs to: its id, kind, algorithm and version, and, for keys whose use depends on more
/// of the record, the attributes that decide what the key becomes or whom it serves, all bound into the envelope as
/// associated data (docs/ARCHITECTURE.md, key store). A changed attribute means the envelope does not open.
/// </summary>
/// <param name="RecordId">The owning record's id.</param>
/// <param name="Kind">What the key is.</param>
/// <param name="Algorithm">The key's algorithm, e.g. <c>TDES2</c> or <c>AES256</c>.</param>
/// <param name="Version">The key's version (the KVN of an issuer key set, the index of a KEK, ...).</param>
/// <param name="Attributes">
/// The record's canonical attributes (<c>name=value;...</c>, invariant, enum values as numbers), or null for keys that
/// have none beyond the above (the audit key, data-protection keys). Envelopes with attributes are
/// <see cref="KeyEnvelope.FormatVersion"/> 2, those without are 1.
/// </param>
public readonly record struct EnvelopeContext(Guid RecordId, KeyKind Kind, string Algorithm, int Version, string? Attributes = null)
{
    /// <summary>The envelope format this context seals and opens: 2 with <see cref="Attributes"/>, else 1.</summary>
    public int FormatVersion => Attributes is null ? 1 : 2;

    /// <summary>
    /// The canonical associated-data bytes: <c>ttp-envelope-v1|id|kind|algorithm|version</c>, or with attributes
    /// <c>ttp-envelope-v2|id|kind|algorithm|version|attributes</c>.
    /// </summary>
    public byte[] AssociatedData() => Encoding.UTF8.GetBytes(Attributes is null
        ? string.Create(CultureInfo.InvariantCulture, $"ttp-envelope-v1|{RecordId:D}|{(int)Kind}|{Algorithm}|{Version}")
        : string.Create(CultureInfo.InvariantCulture, $"ttp-envelope-v2|{RecordId:D}|{(int)Kind}|{Algorithm}|{Version}|{Attributes}"));

    /// <summary>The same record without its attributes: how an envelope of the previous release (format 1) was sealed.</summary>
    internal EnvelopeContext WithoutAttributes() => this with { Attributes = null };

    /// <summary>
    /// The associated data of the LMK layer (the wrapped data key): <c>ttp-lmk-v1|id|kind</c>. Only the record's id and
    /// kind, which never change and are known from the table alone, so that an LMK rotation can re-wrap every data key
    /// without knowing how each owner derives its algorithm and version; the payload layer binds those too.
    /// </summary>
    public byte[] LmkAssociatedData() => LmkAssociatedData(RecordId, Kind);

    /// <summary>The associated data of the LMK layer for a record (see <see cref="LmkAssociatedData()"/>).</summary>
    internal static byte[] LmkAssociatedData(Guid recordId, KeyKind kind) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"ttp-lmk-v1|{recordId:D}|{(int)kind}"));

    /// <summary>Names the record in an error message (no key material).</summary>
    public override string ToString() => $"{Kind} {RecordId:D} ({Algorithm}, version {Version})";
}
