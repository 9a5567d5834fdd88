namespace Ttp.Crypto;

/// <summary>
/// A printable description of one parsed BER-TLV data object (ISO/IEC 8825-1 8.1), for tools that show a TLV tree,
/// e.g. <c>ttpctl crypto tlv</c>. Plain data, ready for any serializer; nothing in it is key material.
/// </summary>
/// <param name="Offset">Zero-based position of the tag in the parsed input.</param>
/// <param name="Tag">The tag in uppercase hex (<c>E0</c>, <c>5F50</c>).</param>
/// <param name="Name">The name of the tag where known in its context, otherwise <see langword="null"/>.</param>
/// <param name="Constructed">Whether the value is a sequence of data objects.</param>
/// <param name="Length">Number of value bytes.</param>
/// <param name="Value">The value in uppercase hex for a primitive object; <see langword="null"/> for a constructed one.</param>
/// <param name="Interpretation">What the value means where known (an OID in dotted form, a counter, a key list), or why it does not parse.</param>
/// <param name="Children">The described children of a constructed object; <see langword="null"/> for a primitive one.</param>
public sealed record TlvDescription(
    int Offset,
    string Tag,
    string? Name,
    bool Constructed,
    int Length,
    string? Value,
    string? Interpretation,
    IReadOnlyList<TlvDescription>? Children);
