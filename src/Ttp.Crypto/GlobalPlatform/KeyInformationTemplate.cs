namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// The Key Information Template a Security Domain returns to GET DATA <c>00E0</c>: tag <c>E0</c> holding one
/// <c>C0</c> Key Information Data object per key (GlobalPlatform Card Specification 2.3.1, 11.3.3.1 and 11.1.8;
/// 2.1.1, 9.3.3.1). Each <c>C0</c> is parsed by <see cref="KeyInformation.Parse(ReadOnlySpan{byte}, string)"/>.
/// </summary>
public sealed class KeyInformationTemplate
{
    private KeyInformationTemplate(IReadOnlyList<KeyInformation> keys)
    {
        Keys = keys;
        KeyVersionNumbers = keys.Select(key => key.KeyVersionNumber).Distinct().ToList().AsReadOnly();
    }

    /// <summary>The keys, in the order the card listed them; at least one.</summary>
    public IReadOnlyList<KeyInformation> Keys { get; }

    /// <summary>The distinct key version numbers, in order of first appearance.</summary>
    public IReadOnlyList<byte> KeyVersionNumbers { get; }

    /// <summary>
    /// Parses a Key Information Template (GlobalPlatform Card Specification 2.3.1, 11.3.3.1). Accepts either the
    /// whole <c>E0</c> data object, or its value alone (a sequence of <c>C0</c> objects); the first byte decides
    /// (<c>E0</c> or <c>C0</c>), anything else is rejected. Strict BER-TLV (<see cref="BerTlv"/>); an empty
    /// <c>E0</c>, a child other than <c>C0</c>, a malformed <c>C0</c> or a trailing byte is an error.
    /// </summary>
    /// <param name="data">The <c>E0</c> data object, or a sequence of <c>C0</c> data objects.</param>
    /// <param name="field">The name of the input, used in error messages.</param>
    /// <exception cref="TlvException">The input is not a strict, complete Key Information Template.</exception>
    public static KeyInformationTemplate Parse(ReadOnlySpan<byte> data, string field = "key-information-template")
    {
        if (data.IsEmpty)
        {
            throw new TlvException(field, "expected a key information template (E0) or key information data (C0), found nothing");
        }

        switch (data[0])
        {
            case GpTags.KeyInformationTemplate:
                return FromTemplate(BerTlv.ParseSingle(data, GpTags.KeyInformationTemplate, field), field);
            case GpTags.KeyInformationData:
                return FromEntries(BerTlv.Parse(data, field), field);
            default:
                throw new TlvException(field, 0, $"expected tag E0 (key information template) or C0 (key information data), found {data[0]:X2}");
        }
    }

    internal static KeyInformationTemplate FromTemplate(TlvNode template, string field)
    {
        if (template.Children.Count == 0)
        {
            throw new TlvException(field, template.Offset, "key information template E0 is empty; expected at least one C0");
        }

        return FromEntries(template.Children, field);
    }

    private static KeyInformationTemplate FromEntries(IReadOnlyList<TlvNode> entries, string field)
    {
        var keys = new List<KeyInformation>(entries.Count);
        foreach (var entry in entries)
        {
            if (entry.Tag != GpTags.KeyInformationData)
            {
                throw new TlvException(field, entry.Offset, $"expected key information data C0, found tag {entry.TagHex}");
            }

            keys.Add(KeyInformation.Parse(entry.Value.Span, field, entry.ValueOffset));
        }

        return new KeyInformationTemplate(keys.AsReadOnly());
    }
}
