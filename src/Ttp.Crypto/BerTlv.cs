using System.Globalization;

namespace Ttp.Crypto;

/// <summary>
/// Strict BER-TLV as GlobalPlatform card data uses it: the basic encoding rules of ISO/IEC 8825-1 (X.690) 8.1 as
/// profiled by ISO/IEC 7816-4 5.2 and GlobalPlatform Card Specification 2.3.1, 11.1.
/// <list type="bullet">
/// <item>Tags of one or two bytes. A two-byte tag has a first byte whose low five bits are all set and a second byte
/// from <c>1F</c> to <c>7F</c> (ISO/IEC 8825-1 8.1.2.4; ISO/IEC 7816-4 5.2.2.1). Tags of three or more bytes are
/// rejected: no GlobalPlatform data object uses one. A zero tag byte (ISO/IEC 7816-4 padding) is rejected.</item>
/// <item>Definite lengths only: the short form (<c>00</c>..<c>7F</c>) and the long forms <c>81 xx</c> and
/// <c>82 xx xx</c>, so values of at most 65535 bytes. The indefinite form <c>80</c> (ISO/IEC 8825-1 8.1.3.6) and
/// <c>83</c> and above are rejected.</item>
/// <item>Lengths must be minimal, as DER requires (ISO/IEC 8825-1 10.1): <c>81</c> only for 128..255 and <c>82</c>
/// only for 256..65535. BER would also accept longer forms; card data never needs them, and accepting a second
/// encoding of the same object is a guess this product does not make.</item>
/// <item>Every byte is accounted for: a value running past the end of its container, a missing byte or a trailing
/// byte is an error, at the top level and inside every constructed value, which is parsed recursively (at most
/// <see cref="MaxDepth"/> levels deep).</item>
/// </list>
/// Errors are <see cref="TlvException"/>s naming the offset and the fault, never the data.
/// </summary>
public static class BerTlv
{
    /// <summary>The largest value this parser and encoder accept: the <c>82 xx xx</c> long form.</summary>
    public const int MaxValueLength = 0xFFFF;

    /// <summary>How deep constructed values may nest (GlobalPlatform card data nests four levels: 66 > 73 > 6x > 06).</summary>
    public const int MaxDepth = 16;

    /// <summary>
    /// Parses <paramref name="data"/> as a sequence of one or more BER-TLV data objects, strictly (see the type
    /// remarks; ISO/IEC 8825-1 8.1, ISO/IEC 7816-4 5.2).
    /// </summary>
    /// <param name="data">The encoded data objects; must be entirely consumed.</param>
    /// <param name="field">The name of the input, used in error messages.</param>
    /// <returns>The top-level data objects in order, with constructed values parsed into children.</returns>
    /// <exception cref="TlvException">The input is empty or not strict BER-TLV.</exception>
    public static IReadOnlyList<TlvNode> Parse(ReadOnlySpan<byte> data, string field = "tlv")
    {
        if (data.IsEmpty)
        {
            throw new TlvException(field, "expected a BER-TLV data object, found nothing");
        }

        var buffer = data.ToArray();
        return ParseSequence(buffer, 0, buffer.Length, 0, field);
    }

    /// <summary>
    /// Parses <paramref name="data"/> as exactly one BER-TLV data object with tag <paramref name="expectedTag"/>
    /// (ISO/IEC 8825-1 8.1); anything before, after or instead of it is an error.
    /// </summary>
    /// <param name="data">The encoded data object.</param>
    /// <param name="expectedTag">The required tag, as a big-endian number (e.g. <c>0xE0</c>, <c>0x5F50</c>).</param>
    /// <param name="field">The name of the input, used in error messages.</param>
    /// <exception cref="TlvException">The input is not one strict BER-TLV data object with that tag.</exception>
    public static TlvNode ParseSingle(ReadOnlySpan<byte> data, int expectedTag, string field = "tlv")
    {
        var nodes = Parse(data, field);
        var first = nodes[0];
        if (first.Tag != expectedTag)
        {
            throw new TlvException(field, first.Offset, $"expected tag {FormatTag(expectedTag)}, found tag {FormatTag(first.Tag)}");
        }

        if (nodes.Count > 1)
        {
            throw new TlvException(field, nodes[1].Offset, $"expected one {FormatTag(expectedTag)} data object and nothing after it, found {nodes.Count - 1} more data object(s)");
        }

        return first;
    }

    /// <summary>The first data object in <paramref name="nodes"/> with tag <paramref name="tag"/>, or <see langword="null"/>; not recursive.</summary>
    public static TlvNode? Find(IReadOnlyList<TlvNode> nodes, int tag)
    {
        foreach (var node in nodes)
        {
            if (node.Tag == tag)
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>
    /// Encodes one data object with the minimal definite length (ISO/IEC 8825-1 8.1.3 and 10.1). For a constructed
    /// tag, <paramref name="value"/> must itself be strict BER-TLV (or empty), so that the output always parses.
    /// </summary>
    /// <param name="tag">A one- or two-byte tag as a big-endian number (e.g. <c>0xCF</c>, <c>0x5F50</c>).</param>
    /// <param name="value">The value, at most <see cref="MaxValueLength"/> bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tag"/> is not a valid one- or two-byte tag.</exception>
    /// <exception cref="TlvException">The value is too long, or a constructed value is not strict BER-TLV.</exception>
    public static byte[] Encode(int tag, ReadOnlySpan<byte> value)
    {
        var tagLength = RequireValidTag(tag);
        if (value.Length > MaxValueLength)
        {
            throw new TlvException("tlv", $"a value of {value.Length} bytes is longer than the {MaxValueLength} bytes a 82 length can carry");
        }

        if (IsConstructedTag(tag) && !value.IsEmpty)
        {
            _ = Parse(value, "tlv");
        }

        var lengthLength = value.Length < 0x80 ? 1 : value.Length <= 0xFF ? 2 : 3;
        var result = new byte[tagLength + lengthLength + value.Length];
        var position = 0;
        if (tagLength == 2)
        {
            result[position++] = (byte)(tag >> 8);
        }

        result[position++] = (byte)tag;
        switch (lengthLength)
        {
            case 1:
                result[position++] = (byte)value.Length;
                break;
            case 2:
                result[position++] = 0x81;
                result[position++] = (byte)value.Length;
                break;
            default:
                result[position++] = 0x82;
                result[position++] = (byte)(value.Length >> 8);
                result[position++] = (byte)value.Length;
                break;
        }

        value.CopyTo(result.AsSpan(position));
        return result;
    }

    /// <summary>
    /// Encodes a constructed data object whose value is the concatenation of <paramref name="children"/>, each an
    /// encoded data object (e.g. from <see cref="Encode"/>), with the minimal definite length (ISO/IEC 8825-1 8.1.3,
    /// 8.1.2.5 and 10.1).
    /// </summary>
    /// <param name="tag">A constructed one- or two-byte tag (bit 6 of the first byte set, e.g. <c>0xE0</c>, <c>0x73</c>).</param>
    /// <param name="children">The encoded children, in order.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tag"/> is not a valid constructed tag.</exception>
    /// <exception cref="TlvException">The children are not strict BER-TLV, or together are too long.</exception>
    public static byte[] EncodeConstructed(int tag, params ReadOnlySpan<byte[]> children)
    {
        RequireValidTag(tag);
        if (!IsConstructedTag(tag))
        {
            throw new ArgumentOutOfRangeException(nameof(tag), $"tag {FormatTag(tag)} is primitive; a constructed tag has bit 6 of its first byte set");
        }

        var total = 0L;
        foreach (var child in children)
        {
            total += child.Length;
        }

        if (total > MaxValueLength)
        {
            throw new TlvException("tlv", $"a value of {total} bytes is longer than the {MaxValueLength} bytes a 82 length can carry");
        }

        var value = new byte[total];
        var position = 0;
        foreach (var child in children)
        {
            child.CopyTo(value, position);
            position += child.Length;
        }

        return Encode(tag, value);
    }

    /// <summary>Whether bit 6 of the first byte of <paramref name="tag"/> is set (ISO/IEC 8825-1 8.1.2.5).</summary>
    public static bool IsConstructedTag(int tag) => ((tag > 0xFF ? tag >> 8 : tag) & 0x20) != 0;

    /// <summary>The tag in uppercase hex: two digits for a one-byte tag, four for a two-byte tag (e.g. <c>E0</c>, <c>5F50</c>).</summary>
    public static string FormatTag(int tag) =>
        tag is >= 0 and <= 0xFF
            ? tag.ToString("X2", CultureInfo.InvariantCulture)
            : tag.ToString("X4", CultureInfo.InvariantCulture);

    /// <summary>
    /// Decodes the contents of an OBJECT IDENTIFIER (the value of a tag <c>06</c>) into dotted form, e.g.
    /// <c>2A864886FC6B01</c> to <c>1.2.840.114283.1</c> (ISO/IEC 8825-1 8.19). Strict: no empty contents, no
    /// sub-identifier starting with the padding byte <c>80</c> (8.19.2), no truncated last sub-identifier.
    /// </summary>
    /// <param name="contents">The OID contents octets, without tag and length.</param>
    /// <param name="field">The name of the input, used in error messages.</param>
    /// <exception cref="TlvException">The contents are not a valid OBJECT IDENTIFIER encoding.</exception>
    public static string DecodeObjectIdentifier(ReadOnlySpan<byte> contents, string field = "oid") =>
        string.Join('.', DecodeObjectIdentifierArcs(contents, field).Select(arc => arc.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// Decodes the contents of an OBJECT IDENTIFIER into its arcs (ISO/IEC 8825-1 8.19): the first sub-identifier
    /// gives the first two arcs (8.19.4), each further one is base-128 with the high bit marking continuation.
    /// </summary>
    /// <param name="contents">The OID contents octets, without tag and length.</param>
    /// <param name="field">The name of the input, used in error messages.</param>
    /// <exception cref="TlvException">The contents are not a valid OBJECT IDENTIFIER encoding.</exception>
    public static IReadOnlyList<long> DecodeObjectIdentifierArcs(ReadOnlySpan<byte> contents, string field = "oid")
    {
        if (contents.IsEmpty)
        {
            throw new TlvException(field, "expected object identifier contents, found none");
        }

        var arcs = new List<long>();
        var position = 0;
        while (position < contents.Length)
        {
            var start = position;
            if (contents[position] == 0x80)
            {
                throw new TlvException(field, $"object identifier sub-identifier at byte {start} starts with 80, which is not minimal (ISO/IEC 8825-1 8.19.2)");
            }

            long value = 0;
            byte current;
            do
            {
                if (position == contents.Length)
                {
                    throw new TlvException(field, $"object identifier sub-identifier at byte {start} is truncated: its last byte has the continuation bit set");
                }

                if (value > (long.MaxValue >> 7))
                {
                    throw new TlvException(field, $"object identifier sub-identifier at byte {start} is too large");
                }

                current = contents[position++];
                value = (value << 7) | (current & 0x7FL);
            }
            while ((current & 0x80) != 0);

            if (arcs.Count == 0)
            {
                var first = value < 40 ? 0 : value < 80 ? 1 : 2;
                arcs.Add(first);
                arcs.Add(value - (first * 40));
            }
            else
            {
                arcs.Add(value);
            }
        }

        return arcs;
    }

    private static List<TlvNode> ParseSequence(byte[] buffer, int start, int end, int depth, string field)
    {
        var nodes = new List<TlvNode>();
        var position = start;
        while (position < end)
        {
            nodes.Add(ParseOne(buffer, ref position, end, depth, field));
        }

        return nodes;
    }

    private static TlvNode ParseOne(byte[] buffer, ref int position, int end, int depth, string field)
    {
        var offset = position;
        var first = buffer[position++];
        if (first == 0x00)
        {
            throw new TlvException(field, offset, "tag byte 00 is padding, not a tag; padding is not accepted");
        }

        int tag = first;
        if ((first & 0x1F) == 0x1F)
        {
            if (position == end)
            {
                throw new TlvException(field, offset, $"two-byte tag starting {first:X2} is truncated: its second byte is missing");
            }

            var second = buffer[position++];
            if ((second & 0x80) != 0)
            {
                throw new TlvException(field, offset, "tags of three or more bytes are not accepted (GlobalPlatform tags are one or two bytes)");
            }

            if (second < 0x1F)
            {
                throw new TlvException(field, offset, $"two-byte tag {first:X2}{second:X2} has a tag number below 31, which must use the one-byte form (ISO/IEC 8825-1 8.1.2.2)");
            }

            tag = (first << 8) | second;
        }

        var tagText = FormatTag(tag);
        if (position == end)
        {
            throw new TlvException(field, offset, $"tag {tagText} has no length byte");
        }

        var lengthOffset = position;
        var lengthByte = buffer[position++];
        int length;
        switch (lengthByte)
        {
            case < 0x80:
                length = lengthByte;
                break;
            case 0x80:
                throw new TlvException(field, lengthOffset, $"tag {tagText} has the indefinite length form 80, which is not accepted (definite lengths only)");
            case 0x81:
                if (end - position < 1)
                {
                    throw new TlvException(field, lengthOffset, $"tag {tagText} has a length 81 with its length byte missing");
                }

                length = buffer[position++];
                if (length < 0x80)
                {
                    throw new TlvException(field, lengthOffset, $"tag {tagText} has the non-minimal length 81 {length:X2}; lengths below 128 use one byte (ISO/IEC 8825-1 10.1)");
                }

                break;
            case 0x82:
                if (end - position < 2)
                {
                    throw new TlvException(field, lengthOffset, $"tag {tagText} has a length 82 with {end - position} of its 2 length bytes");
                }

                length = (buffer[position] << 8) | buffer[position + 1];
                position += 2;
                if (length < 0x100)
                {
                    throw new TlvException(field, lengthOffset, $"tag {tagText} has the non-minimal length 82 {length:X4}; lengths below 256 use the 81 or one-byte form (ISO/IEC 8825-1 10.1)");
                }

                break;
            default:
                throw new TlvException(field, lengthOffset, $"tag {tagText} has the length form {lengthByte:X2}; only 00-7F, 81 and 82 (values up to {MaxValueLength} bytes) are accepted");
        }

        if (length > end - position)
        {
            throw new TlvException(field, lengthOffset, $"tag {tagText} declares {length} value bytes but only {end - position} remain");
        }

        var valueOffset = position;
        var constructed = (first & 0x20) != 0;
        IReadOnlyList<TlvNode> children = [];
        if (constructed && length > 0)
        {
            if (depth + 1 >= MaxDepth)
            {
                throw new TlvException(field, offset, $"constructed values nest more than {MaxDepth} levels deep");
            }

            children = ParseSequence(buffer, valueOffset, valueOffset + length, depth + 1, field);
        }

        position = valueOffset + length;
        return new TlvNode(tag, constructed, buffer.AsMemory(valueOffset, length), children, offset, valueOffset);
    }

    private static int RequireValidTag(int tag)
    {
        if (tag is > 0 and <= 0xFF)
        {
            if ((tag & 0x1F) == 0x1F)
            {
                throw new ArgumentOutOfRangeException(nameof(tag), $"tag {FormatTag(tag)} announces a second tag byte; pass the two-byte tag");
            }

            return 1;
        }

        if (tag is > 0xFF and <= 0xFFFF && ((tag >> 8) & 0x1F) == 0x1F && (tag & 0xFF) is >= 0x1F and <= 0x7F)
        {
            return 2;
        }

        throw new ArgumentOutOfRangeException(nameof(tag), $"tag {tag:X} is not a valid one- or two-byte BER-TLV tag");
    }
}
