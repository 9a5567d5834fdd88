namespace Ttp.Crypto;

/// <summary>
/// One BER-TLV data object as <see cref="BerTlv.Parse"/> read it (ISO/IEC 8825-1 8.1; ISO/IEC 7816-4 5.2):
/// its tag, whether it is constructed, its value and, for a constructed object, the data objects its value holds.
/// </summary>
public sealed class TlvNode
{
    internal TlvNode(int tag, bool isConstructed, ReadOnlyMemory<byte> value, IReadOnlyList<TlvNode> children, int offset, int valueOffset)
    {
        Tag = tag;
        IsConstructed = isConstructed;
        Value = value;
        Children = children;
        Offset = offset;
        ValueOffset = valueOffset;
    }

    /// <summary>
    /// The tag bytes read as a big-endian number: <c>0xE0</c> for a one-byte tag, <c>0x5F50</c> for a two-byte tag
    /// (ISO/IEC 8825-1 8.1.2).
    /// </summary>
    public int Tag { get; }

    /// <summary>The tag in uppercase hex, two digits for a one-byte tag and four for a two-byte tag (e.g. <c>5F50</c>).</summary>
    public string TagHex => BerTlv.FormatTag(Tag);

    /// <summary>Bit 6 of the first tag byte is set: the value is a sequence of data objects (ISO/IEC 8825-1 8.1.2.5).</summary>
    public bool IsConstructed { get; }

    /// <summary>The value bytes (for a constructed object, the encoded children).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Number of value bytes.</summary>
    public int Length => Value.Length;

    /// <summary>The data objects of a constructed value, in order; empty for a primitive object.</summary>
    public IReadOnlyList<TlvNode> Children { get; }

    /// <summary>Zero-based position of the first tag byte in the parsed input.</summary>
    public int Offset { get; }

    /// <summary>Zero-based position of the first value byte in the parsed input.</summary>
    public int ValueOffset { get; }

    /// <summary>The first direct child with tag <paramref name="tag"/>, or <see langword="null"/>.</summary>
    public TlvNode? Find(int tag) => BerTlv.Find(Children, tag);

    /// <summary>Every direct child with tag <paramref name="tag"/>, in order.</summary>
    public IEnumerable<TlvNode> FindAll(int tag) => Children.Where(child => child.Tag == tag);
}
