using System.Xml.Serialization;

namespace Ttp.Portal.Soap.Messages;

/// <summary>The <c>WSGetDiversifiedKeysRequest</c> element (docs/DESIGN.md section 5); hex fields as text, checked by the domain.</summary>
[XmlRoot("WSGetDiversifiedKeysRequest", Namespace = KeyDistributionContract.Namespace)]
[XmlType("WSGetDiversifiedKeysRequest", Namespace = KeyDistributionContract.Namespace)]
public sealed class WSGetDiversifiedKeysRequest
{
    [XmlElement(Order = 0)]
    public string? SecurityDomainManagerUrl { get; set; }

    [XmlElement(Order = 1)]
    public string? KeyDiversificationData { get; set; }

    [XmlElement(Order = 2)]
    public string? KeyInformationTemplate { get; set; }

    [XmlElement(Order = 3)]
    public string? SequenceCounter { get; set; }

    [XmlElement(Order = 4)]
    public string? IssuerIdentificationNumber { get; set; }

    [XmlElement(Order = 5)]
    public string? CardImageNumber { get; set; }

    /// <summary>Optional: required only when the key information template lists several key sets.</summary>
    [XmlElement(Order = 6)]
    public int? KeyVersionNumber { get; set; }

    /// <summary>Required; absent reaches the domain as null and is refused as InvalidRequest.</summary>
    [XmlElement(Order = 7)]
    public int? KekIndex { get; set; }
}
