using System.Xml.Serialization;

namespace Ttp.Portal.Tests.Soap;

[XmlType("WSGetDiversifiedKeysResponse", Namespace = ClientContract.Namespace)]
public sealed class ClientResponse
{
    [XmlElement(Order = 0)]
    public string? RequestId { get; set; }

    [XmlElement(Order = 1)]
    public string? Scheme { get; set; }

    [XmlElement(Order = 2)]
    public int KeyVersionNumber { get; set; }

    [XmlElement(Order = 3)]
    public string? DiversificationMethod { get; set; }

    [XmlElement(Order = 4)]
    public int KekIndex { get; set; }

    [XmlElement(Order = 5)]
    public string? KekCheckValue { get; set; }

    [XmlElement(Order = 6)]
    public string? Format { get; set; }

    [XmlArray(Order = 7)]
    [XmlArrayItem("Key")]
    public ClientKey[]? Keys { get; set; }
}
