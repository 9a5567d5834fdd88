using System.Globalization;
using System.Text;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// Describes a parsed BER-TLV tree with the GlobalPlatform meaning of the tags it knows (<see cref="GpTags"/>):
/// names in context, and an interpretation of the values the product understands (GlobalPlatform Card
/// Specification 2.3.1, 11.3 GET DATA, 11.3.3.1 Key Information Template, annex H Card Data). Never throws for a
/// tree <see cref="BerTlv.Parse"/> produced: a value that does not parse as its tag requires is described by why.
/// </summary>
public static class GpTlvDescription
{
    /// <summary>Describes <paramref name="nodes"/> and their children, top-level tags read in the GET DATA context.</summary>
    /// <param name="nodes">Data objects from <see cref="BerTlv.Parse"/>.</param>
    public static IReadOnlyList<TlvDescription> Describe(IReadOnlyList<TlvNode> nodes) => Describe(nodes, parentTag: null);

    private static List<TlvDescription> Describe(IReadOnlyList<TlvNode> nodes, int? parentTag) =>
        nodes.Select(node => DescribeNode(node, parentTag)).ToList();

    private static TlvDescription DescribeNode(TlvNode node, int? parentTag) =>
        new(
            node.Offset,
            node.TagHex,
            GpTags.NameOf(node.Tag, parentTag),
            node.IsConstructed,
            node.Length,
            node.IsConstructed ? null : Hex.Encode(node.Value.Span),
            Interpret(node, parentTag),
            node.IsConstructed ? Describe(node.Children, node.Tag) : null);

    private static string? Interpret(TlvNode node, int? parentTag)
    {
        try
        {
            return parentTag == GpTags.CardRecognitionData
                ? InterpretRecognitionElement(node)
                : InterpretTopLevel(node, parentTag);
        }
        catch (CryptoInputException e)
        {
            return $"not valid: {e.Reason}";
        }
    }

    private static string? InterpretTopLevel(TlvNode node, int? parentTag) =>
        node.Tag switch
        {
            GpTags.ObjectIdentifier => BerTlv.DecodeObjectIdentifier(node.Value.Span),
            GpTags.SecurityDomainManagerUrl => InterpretUrl(node.Value.Span),
            GpTags.KeyDiversificationData => InterpretKdd(node.Value.Span),
            GpTags.SequenceCounter => string.Create(CultureInfo.InvariantCulture, $"sequence counter {CardDataObjects.ParseSequenceCounter(node.Value.Span)}"),
            GpTags.KeyInformationTemplate => InterpretTemplate(KeyInformationTemplate.FromTemplate(node, "key-information-template")),
            GpTags.KeyInformationData when parentTag is null or GpTags.KeyInformationTemplate => InterpretKey(KeyInformation.Parse(node.Value.Span)),
            GpTags.CardData when parentTag is null => InterpretCardData(node),
            GpTags.CardRecognitionData => InterpretRecognition(CardRecognitionData.FromRecognitionData(node, "card-recognition-data")),
            _ => null,
        };

    private static string? InterpretRecognitionElement(TlvNode node)
    {
        if (node.Tag == GpTags.ObjectIdentifier)
        {
            return BerTlv.DecodeObjectIdentifier(node.Value.Span);
        }

        if (node.Children.Count != 1 || node.Children[0].Tag != GpTags.ObjectIdentifier)
        {
            return null;
        }

        var arcs = BerTlv.DecodeObjectIdentifierArcs(node.Children[0].Value.Span);
        var oid = BerTlv.DecodeObjectIdentifier(node.Children[0].Value.Span);
        return node.Tag switch
        {
            GpTags.CardManagementTypeAndVersion when IsGlobalPlatform(arcs, 2) && arcs.Count > 5 =>
                $"GlobalPlatform {string.Join('.', arcs.Skip(5).Select(Format))} ({oid})",
            GpTags.SecureChannelProtocol when IsGlobalPlatform(arcs, 4) && arcs.Count == 7 && arcs[5] <= 0xFF && arcs[6] <= int.MaxValue =>
                $"{new CardRecognitionSecureChannel((int)arcs[5], (int)arcs[6])} ({oid})",
            _ => oid,
        };
    }

    private static string InterpretCardData(TlvNode node)
    {
        if (node.Children.Count != 1 || node.Children[0].Tag != GpTags.CardRecognitionData)
        {
            return "not valid: card data 66 must hold exactly one card recognition data 73";
        }

        return InterpretRecognition(CardRecognitionData.FromRecognitionData(node.Children[0], "card-data"));
    }

    private static string InterpretRecognition(CardRecognitionData data)
    {
        var parts = new List<string>();
        if (data.GlobalPlatformVersion is not null)
        {
            parts.Add($"GlobalPlatform {data.GlobalPlatformVersion}");
        }

        parts.AddRange(data.SecureChannelProtocols.Select(protocol => protocol.ToString()));
        return parts.Count == 0 ? "GlobalPlatform card recognition data" : string.Join(", ", parts);
    }

    private static string InterpretTemplate(KeyInformationTemplate template) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{template.Keys.Count} key(s), key version number(s) {string.Join(", ", template.KeyVersionNumbers.Select(kvn => kvn.ToString("X2", CultureInfo.InvariantCulture)))}");

    private static string InterpretKey(KeyInformation key)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"key id {key.KeyId:X2}, key version {key.KeyVersionNumber:X2}, ");
        text.AppendJoin(" + ", key.Components.Select(component =>
            string.Create(CultureInfo.InvariantCulture, $"{BerTlv.FormatTag(component.Type)} {component.TypeName}, {component.Length} bytes")));
        if (key.IsExtended)
        {
            text.Append(CultureInfo.InvariantCulture, $", usage {(key.Usage.Count == 0 ? "none" : Hex.Encode(key.Usage.ToArray()))}");
            text.Append(CultureInfo.InvariantCulture, $", access {(key.Access is { } access ? access.ToString("X2", CultureInfo.InvariantCulture) : "none")}");
        }

        return text.ToString();
    }

    private static string InterpretKdd(ReadOnlySpan<byte> value)
    {
        var kdd = CardDataObjects.ParseKeyDiversificationData(value);
        return $"KMC ID {Hex.Encode(kdd.AsSpan(0, 6))}, CSN {Hex.Encode(kdd.AsSpan(6))} (EMV CPS 1.1 reading)";
    }

    private static string InterpretUrl(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return "not printable ASCII";
            }
        }

        return Encoding.ASCII.GetString(value);
    }

    private static bool IsGlobalPlatform(IReadOnlyList<long> arcs, long branch) =>
        arcs.Count > 4 && arcs[0] == 1 && arcs[1] == 2 && arcs[2] == 840 && arcs[3] == 114283 && arcs[4] == branch;

    private static string Format(long arc) => arc.ToString(CultureInfo.InvariantCulture);
}
