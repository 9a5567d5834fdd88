using System.Xml.Serialization;

namespace Ttp.Portal.Soap.Messages;

/// <summary>The <c>WSGetDiversifiedKeysResponse</c> element (docs/DESIGN.md section 5).</summary>
[XmlRoot("WSGetDiversifiedKeysResponse", Namespace = KeyDistributionContract.Namespace)]
[XmlType("WSGetDiversifiedKeysResponse", Namespace = KeyDistributionContract.Namespace)]
public sealed class WSGetDiversifiedKeysResponse
{
    [XmlElement(Order = 0)]
    public string RequestId { get; set; } = string.Empty;

    [XmlElement(Order = 1)]
    public string Scheme { get; set; } = string.Empty;

    [XmlElement(Order = 2)]
    public int KeyVersionNumber { get; set; }

    [XmlElement(Order = 3)]
    public string DiversificationMethod { get; set; } = string.Empty;

    [XmlElement(Order = 4)]
    public int KekIndex { get; set; }

    [XmlElement(Order = 5)]
    public string KekCheckValue { get; set; } = string.Empty;

    [XmlElement(Order = 6)]
    public string Format { get; set; } = string.Empty;

    [XmlArray(Order = 7)]
    [XmlArrayItem("Key")]
    public WSKey[] Keys { get; set; } = [];
}
