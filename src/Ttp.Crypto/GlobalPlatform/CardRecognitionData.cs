using System.Globalization;

namespace Ttp.Crypto.GlobalPlatform;

/// <summary>
/// The Card Recognition Data a card returns to GET DATA <c>0066</c> (wrapped in Card Data <c>66</c>) or in its
/// SELECT response (tag <c>73</c>): a list of OIDs naming the GlobalPlatform version, the card identification
/// scheme and the secure channel protocols (GlobalPlatform Card Specification 2.3.1, annex H; 2.1.1, annex F).
/// <para>Structure: <c>73</c> holds first the OID {globalPlatform 1} (1.2.840.114283.1, tag <c>06</c>), then
/// [APPLICATION n] elements <c>60</c>..<c>68</c> each wrapping exactly one OID: <c>60</c> card management type and
/// version {globalPlatform 2 v}, <c>63</c> card identification scheme, <c>64</c> secure channel protocol
/// {globalPlatform 4 scp i} (may repeat), <c>65</c> card configuration details, <c>66</c> card/chip details,
/// <c>67</c>/<c>68</c> certificate information. Every element is optional except the first OID.</para>
/// <para>Strict: OIDs must be valid encodings (ISO/IEC 8825-1 8.19); a {globalPlatform 4} OID must have exactly two
/// further arcs; an element other than those above, a repeated element other than <c>64</c>, or a trailing byte is an
/// error. Some cards write SCP 80 as the raw bytes <c>80 00</c> after {globalPlatform 4}, which is not a valid
/// OID encoding (8.19.2); such card data is rejected rather than guessed at.</para>
/// </summary>
public sealed class CardRecognitionData
{
    private const string GlobalPlatformRoot = "1.2.840.114283";
    private static readonly long[] GlobalPlatformArcs = [1, 2, 840, 114283];

    private CardRecognitionData()
    {
    }

    /// <summary>Every OID in the Card Recognition Data in dotted form, in order, starting with 1.2.840.114283.1.</summary>
    public IReadOnlyList<string> Oids { get; private set; } = [];

    /// <summary>The card management type and version OID (element <c>60</c>), e.g. <c>1.2.840.114283.2.2.2.1</c>.</summary>
    public string? CardManagementTypeAndVersion { get; private set; }

    /// <summary>
    /// The GlobalPlatform version: the arcs after {globalPlatform 2} in element <c>60</c>, e.g. <c>2.2.1</c> from
    /// 1.2.840.114283.2.2.2.1 and <c>2.1.1</c> from 1.2.840.114283.2.2.1.1; <see langword="null"/> without <c>60</c>.
    /// </summary>
    public string? GlobalPlatformVersion { get; private set; }

    /// <summary>The card identification scheme OID (element <c>63</c>), e.g. <c>1.2.840.114283.3</c>.</summary>
    public string? CardIdentificationScheme { get; private set; }

    /// <summary>The secure channel protocols of the elements <c>64</c>, in order.</summary>
    public IReadOnlyList<CardRecognitionSecureChannel> SecureChannelProtocols { get; private set; } = [];

    /// <summary>The protocol of the first secure channel (e.g. 3 for SCP03); <see langword="null"/> without <c>64</c>.</summary>
    public int? ScpVersion => SecureChannelProtocols.Count > 0 ? SecureChannelProtocols[0].Protocol : null;

    /// <summary>The option i of the first secure channel (e.g. <c>0x70</c>); <see langword="null"/> without <c>64</c>.</summary>
    public int? ScpOption => SecureChannelProtocols.Count > 0 ? SecureChannelProtocols[0].Option : null;

    /// <summary>The card configuration details OID (element <c>65</c>).</summary>
    public string? CardConfigurationDetails { get; private set; }

    /// <summary>The card / chip details OID (element <c>66</c> inside <c>73</c>).</summary>
    public string? CardChipDetails { get; private set; }

    /// <summary>
    /// Parses Card Data (<c>66</c> holding exactly one <c>73</c>) or Card Recognition Data (<c>73</c>) alone
    /// (GlobalPlatform Card Specification 2.3.1, annex H), strictly; see the type remarks.
    /// </summary>
    /// <param name="data">The <c>66</c> or <c>73</c> data object, and nothing else.</param>
    /// <param name="field">The name of the input, used in error messages.</param>
    /// <exception cref="TlvException">The input is not strict, complete GlobalPlatform card recognition data.</exception>
    public static CardRecognitionData Parse(ReadOnlySpan<byte> data, string field = "card-data")
    {
        if (data.IsEmpty)
        {
            throw new TlvException(field, "expected card data (66) or card recognition data (73), found nothing");
        }

        var nodes = BerTlv.Parse(data, field);
        var top = nodes[0];
        if (nodes.Count > 1)
        {
            throw new TlvException(field, nodes[1].Offset, $"expected one {top.TagHex} data object and nothing after it, found {nodes.Count - 1} more data object(s)");
        }

        switch (top.Tag)
        {
            case GpTags.CardData:
                if (top.Children.Count != 1 || top.Children[0].Tag != GpTags.CardRecognitionData)
                {
                    throw new TlvException(field, top.ValueOffset, "card data 66 must hold exactly one card recognition data 73");
                }

                return FromRecognitionData(top.Children[0], field);
            case GpTags.CardRecognitionData:
                return FromRecognitionData(top, field);
            default:
                throw new TlvException(field, top.Offset, $"expected tag 66 (card data) or 73 (card recognition data), found tag {top.TagHex}");
        }
    }

    internal static CardRecognitionData FromRecognitionData(TlvNode recognition, string field)
    {
        var elements = recognition.Children;
        if (elements.Count == 0)
        {
            throw new TlvException(field, recognition.Offset, "card recognition data 73 is empty; expected the OID {globalPlatform 1} first");
        }

        var first = elements[0];
        if (first.Tag != GpTags.ObjectIdentifier || BerTlv.DecodeObjectIdentifier(first.Value.Span, field) != GlobalPlatformRoot + ".1")
        {
            throw new TlvException(field, first.Offset, "card recognition data must start with the OID {globalPlatform 1} (06 07 2A864886FC6B01)");
        }

        var result = new CardRecognitionData();
        var oids = new List<string> { GlobalPlatformRoot + ".1" };
        var protocols = new List<CardRecognitionSecureChannel>();
        var seen = new HashSet<int>();
        for (var i = 1; i < elements.Count; i++)
        {
            var element = elements[i];
            if (element.Tag is < GpTags.CardManagementTypeAndVersion or > GpTags.IssuerSecurityDomainCertificateInformation
                or 0x61 or 0x62)
            {
                throw new TlvException(field, element.Offset, $"unexpected tag {element.TagHex} in card recognition data; expected 60, 63, 64, 65, 66, 67 or 68");
            }

            if (element.Tag != GpTags.SecureChannelProtocol && !seen.Add(element.Tag))
            {
                throw new TlvException(field, element.Offset, $"element {element.TagHex} appears more than once in card recognition data");
            }

            if (element.Children.Count != 1 || element.Children[0].Tag != GpTags.ObjectIdentifier)
            {
                throw new TlvException(field, element.Offset, $"element {element.TagHex} of card recognition data must hold exactly one OID (06)");
            }

            var oidNode = element.Children[0];
            var arcs = BerTlv.DecodeObjectIdentifierArcs(oidNode.Value.Span, field);
            var oid = BerTlv.DecodeObjectIdentifier(oidNode.Value.Span, field);
            oids.Add(oid);
            switch (element.Tag)
            {
                case GpTags.CardManagementTypeAndVersion:
                    if (!IsGlobalPlatform(arcs, 2) || arcs.Count < 6)
                    {
                        throw new TlvException(field, oidNode.Offset, "card management type and version must be {globalPlatform 2 v} (1.2.840.114283.2 followed by the version)");
                    }

                    result.CardManagementTypeAndVersion = oid;
                    result.GlobalPlatformVersion = string.Join('.', arcs.Skip(5).Select(arc => arc.ToString(CultureInfo.InvariantCulture)));
                    break;
                case GpTags.CardIdentificationScheme:
                    result.CardIdentificationScheme = oid;
                    break;
                case GpTags.SecureChannelProtocol:
                    if (!IsGlobalPlatform(arcs, 4) || arcs.Count != 7 || arcs[5] > 0xFF || arcs[6] > int.MaxValue)
                    {
                        throw new TlvException(field, oidNode.Offset, "secure channel protocol must be {globalPlatform 4 scp i} (1.2.840.114283.4 followed by the protocol and its option)");
                    }

                    protocols.Add(new CardRecognitionSecureChannel((int)arcs[5], (int)arcs[6]));
                    break;
                case GpTags.CardConfigurationDetails:
                    result.CardConfigurationDetails = oid;
                    break;
                case GpTags.CardChipDetails:
                    result.CardChipDetails = oid;
                    break;
                default:
                    // 67 and 68 (certificate information) are kept in Oids only.
                    break;
            }
        }

        result.Oids = oids.AsReadOnly();
        result.SecureChannelProtocols = protocols.AsReadOnly();
        return result;
    }

    private static bool IsGlobalPlatform(IReadOnlyList<long> arcs, long branch) =>
        arcs.Count > GlobalPlatformArcs.Length
        && arcs.Take(GlobalPlatformArcs.Length).SequenceEqual(GlobalPlatformArcs)
        && arcs[GlobalPlatformArcs.Length] == branch;
}
